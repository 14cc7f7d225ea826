"""Background work through the real path: the database queue and picdesk's
worker (the rest of the suite swaps in django-tasks' dummy backend)."""

import datetime as dt

import pytest
from django.utils import timezone

from picdesk.audit.models import AuditEntry
from picdesk.slideshows.metadata_edits import save_edits
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.spec import planned_widths
from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import publish
from tests.waiting import wait_for
from tests.factories import agency_jpeg, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db(transaction=True)


def formats_made(photo) -> dict[str, list[int]]:
    made = {}
    for fmt, width in photo.renditions.filter(crop="").order_by("width").values_list("format", "width"):
        made.setdefault(fmt, []).append(width)
    return made


def test_an_upload_gets_every_rendition_from_the_worker(task_worker, client):
    photo = ingest_bytes(agency_jpeg("Harbour at dawn.", width=700, height=400), "harbour.jpg").photo
    show = make_slideshow("Harbour", photos=[photo])
    assert not photo.renditions.exists()  # nothing made in the request
    task_worker()
    widths = planned_widths(700)
    assert formats_made(photo) == {"avif": widths, "jpeg": widths, "webp": widths}
    photo.refresh_from_db()
    assert photo.focus is not None  # found with the AVIF set, for crops
    assert '<source type="image/avif"' in page(client, show.get_absolute_url())


def test_a_photo_killed_before_the_worker_gets_nothing_made(task_worker, media):
    photo = ingest_bytes(agency_jpeg("Withdrawn."), "withdrawn.jpg").photo
    kill_photo(photo, "Agency kill.")
    task_worker()
    assert not photo.renditions.exists()
    assert not (media / "renditions").exists() or not any((media / "renditions").rglob("*.*"))


def test_an_edited_caption_gets_renditions_remade(task_worker):
    photo = ingest_bytes(agency_jpeg("Old caption."), "edit.jpg").photo
    task_worker()
    first = set(photo.renditions.values_list("pk", flat=True))
    save_edits(photo, {"caption": "New caption."})
    assert not photo.renditions.exists()
    task_worker()
    remade = set(photo.renditions.filter(crop="", format="jpeg").values_list("pk", flat=True))
    assert remade and not remade & first


def test_the_worker_publishes_a_scheduled_slideshow_when_it_is_due(task_worker):
    show = make_slideshow("Embargoed", publish=False)
    due = timezone.now() + dt.timedelta(seconds=5)  # room for a slow first run
    publish(show, due)
    task_worker()
    assert timezone.now() < due, "the machine was too slow to test the embargo"
    assert Slideshow.objects.get(pk=show.pk).status == Slideshow.Status.SCHEDULED  # not yet due
    wait_for(lambda: timezone.now() >= due, "the time never came", every=0.1)
    task_worker()
    assert Slideshow.objects.get(pk=show.pk).status == Slideshow.Status.PUBLISHED
    assert AuditEntry.objects.filter(slideshow=show, action="published (scheduled)").exists()


def test_the_demo_queues_each_photos_renditions_once(task_worker, settings, tmp_path):
    """`picdesk demo` builds after serve's recovery step, so nothing is queued twice
    (it was: the workers then made the same renditions twice, in a race)."""
    from collections import Counter

    from django_tasks_db.models import DBTaskResult

    from picdesk.ops.demo.build import build_demo
    from picdesk.ops.server import prepare_home

    settings.STATIC_ROOT = tmp_path / "static"
    prepare_home(then=build_demo)
    queued = Counter(tuple(result.args_kwargs["args"]) for result in
                     DBTaskResult.objects.filter(task_path="picdesk.photos.tasks.make_photo_renditions"))
    assert len(queued) == 15 and set(queued.values()) == {1}
