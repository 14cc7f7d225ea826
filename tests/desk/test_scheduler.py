"""The real worker (`picdesk worker`, django-tasks' database backend) publishes
a scheduled slideshow when its time comes, not before."""

import subprocess
import sys

from tests.waiting import wait_for
from tests.factories import agency_jpeg
from tests.test_cli import picdesk, picdesk_env, picdesk_shell

SCHEDULE = """
import datetime as dt
from django.utils import timezone
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import publish
show = Slideshow.objects.get()
publish(show, timezone.now() + dt.timedelta(seconds=4))
print(show.status)
"""
STATUS = "from picdesk.slideshows.models import Slideshow; print(Slideshow.objects.get().status)"
FLIPPED_ON_TIME = ("from picdesk.slideshows.models import Slideshow; s = Slideshow.objects.get(); "
                   "print(s.updated_at >= s.published_at)")


def test_the_worker_publishes_on_time(tmp_path):
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Under embargo."))
    assert picdesk(home, "import", str(photo), "--slideshow", "Embargoed").returncode == 0
    assert picdesk_shell(home, SCHEDULE) == "scheduled"
    worker = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "worker"],
                              env=picdesk_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: picdesk_shell(home, STATUS) == "published", "the worker never published it", every=0.5)
        # Not before its time, however slow this machine: the flip is stamped when it happens.
        assert picdesk_shell(home, FLIPPED_ON_TIME) == "True"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
