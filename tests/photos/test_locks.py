"""The per-photo rendition lock: one holder at a time, and a lock whose holder
died is taken over rather than blocking the photo."""

import datetime as dt
import os
import socket
import subprocess

import pytest
from django.utils import timezone

from picdesk.photos.locks import RenditionLock, rendering
from tests.factories import make_photo

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
    RenditionLock.objects.filter(pk=lock.pk).update(taken_at=timezone.now() - dt.timedelta(minutes=11))
    with rendering(photo.pk, "publishable") as mine:
        assert mine
    RenditionLock.objects.create(photo=photo, stage="publishable", holder=f"{socket.gethostname()}:{os.getppid()}")
    with rendering(photo.pk, "publishable") as mine:
        assert not mine  # our parent is alive
