"""The real worker (`picdesk worker`, django-tasks' database backend) publishes
a scheduled slideshow when its time comes, not before."""

import subprocess
import sys
import time

from tests.factories import agency_jpeg
from tests.test_cli import picdesk, picdesk_env

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


def _shell(home, code):
    result = picdesk(home, "manage", "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_worker_publishes_on_time(tmp_path):
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Under embargo."))
    assert picdesk(home, "import", str(photo), "--slideshow", "Embargoed").returncode == 0
    assert _shell(home, SCHEDULE) == "scheduled"
    worker = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "worker"],
                              env=picdesk_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _shell(home, STATUS) == "scheduled"
        deadline = time.monotonic() + 60
        while _shell(home, STATUS) != "published" and time.monotonic() < deadline:
            time.sleep(1)
        assert _shell(home, STATUS) == "published"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
