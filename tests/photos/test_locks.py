"""The per-photo rendition lock: one holder at a time, and a lock whose holder
died is taken over rather than blocking the photo."""

import datetime as dt
import os
import socket
import subprocess
import threading

import pytest
from django.utils import timezone

from picdesk.photos import locks
from picdesk.photos.locks import STALE_AFTER, RenditionLock, rendering
from picdesk.photos.tasks import make_photo_renditions
from tests.factories import make_photo
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db


def test_one_holder_at_a_time():
    photo = make_photo()
    with rendering(photo.pk, "publishable") as first:
        with rendering(photo.pk, "publishable") as second, rendering(photo.pk, "background") as other_stage:
            assert (first, second, other_stage) == (True, False, True)
    with rendering(photo.pk, "publishable") as again:
        assert again
    assert not RenditionLock.objects.exists()


def test_a_lock_whose_process_died_is_taken_over_at_once():
    photo = make_photo()
    gone = subprocess.Popen(["true"])
    gone.wait()
    RenditionLock.objects.create(photo=photo, stage="publishable", holder=f"{socket.gethostname()}:{gone.pid}")
    with rendering(photo.pk, "publishable") as mine:
        assert mine


def test_a_live_holder_elsewhere_keeps_it_until_it_is_stale():
    photo = make_photo()
    lock = RenditionLock.objects.create(photo=photo, stage="publishable", holder="another-host:1")
    with rendering(photo.pk, "publishable") as mine:
        assert not mine
    RenditionLock.objects.filter(pk=lock.pk).update(taken_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    with rendering(photo.pk, "publishable") as mine:
        assert mine
    RenditionLock.objects.create(photo=photo, stage="publishable", holder=f"{socket.gethostname()}:{os.getppid()}")
    with rendering(photo.pk, "publishable") as mine:
        assert not mine  # our parent is alive


def test_a_retried_job_takes_over_from_a_worker_killed_on_another_machine():
    """Its worker stopped beating 46 s ago: the retried job renders the
    photo (it used to find the lock held for ten minutes and do nothing)."""
    photo = make_photo()
    RenditionLock.objects.create(photo=photo, stage="publishable", holder="another-host:1",
                                 taken_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    assert make_photo_renditions.call(photo.pk) > 0
    assert not RenditionLock.objects.exists()


def test_a_job_waits_for_the_holder_rather_than_leaving_the_photo_unrendered(monkeypatch):
    photo = make_photo()
    monkeypatch.setattr(locks, "STALE_AFTER", dt.timedelta(seconds=1))
    RenditionLock.objects.create(photo=photo, stage="publishable", holder="another-host:1")
    assert make_photo_renditions.call(photo.pk) > 0  # once the silent holder went stale


@pytest.mark.django_db(transaction=True)
def test_a_holder_beats_while_it_renders_and_leaves_no_thread(monkeypatch):
    photo = make_photo()
    monkeypatch.setattr(locks, "BEAT", dt.timedelta(seconds=0.1))
    with rendering(photo.pk, "publishable") as mine:
        assert mine
        taken = RenditionLock.objects.get().taken_at
        wait_for(lambda: RenditionLock.objects.get().taken_at > taken, "the holder never refreshed its lock")
    assert not RenditionLock.objects.exists()
    assert not [t for t in threading.enumerate() if t.name.startswith("rendition lock")]
