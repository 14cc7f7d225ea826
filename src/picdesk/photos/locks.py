"""One worker at a time on a photo's renditions.

Tasks can be queued twice for one photo (an upload and a restart's recovery
step, a retry after a worker died): two workers would then decode and encode
the same photo at once, the second's work thrown away under the
one-rendition-per-size constraint. A row per photo and stage, under a unique
constraint, is a lock every database and every worker shares, on one machine
or many. A lock whose holder died is taken over: at once where the holder ran
on this machine (its process is gone), else after ``STALE_AFTER``.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from picdesk.core.processes import is_dead, this_process

# Longer than any photo takes (a 150 MP original takes about 20 s on one core).
STALE_AFTER = timedelta(minutes=10)


class RenditionLock(models.Model):
    photo = models.ForeignKey("photos.Photo", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20)  # "publishable" or "background"
    taken_at = models.DateTimeField(default=timezone.now)
    holder = models.CharField(max_length=300, default="", help_text="host:pid of the worker holding it")

    class Meta:
        app_label = "photos"
        constraints = [models.UniqueConstraint(fields=["photo", "stage"], name="one_worker_per_photo_stage")]


@contextmanager
def rendering(photo_id: int, stage: str) -> Iterator[bool]:
    """Hold the lock on ``photo_id``'s ``stage`` while the block runs; yields
    False (and holds nothing) when another worker holds it."""
    _drop_dead_locks(photo_id, stage)
    try:
        with transaction.atomic():
            lock = RenditionLock.objects.create(photo_id=photo_id, stage=stage, holder=this_process())
    except IntegrityError:
        yield False
        return
    try:
        yield True
    finally:
        lock.delete()


def _drop_dead_locks(photo_id: int, stage: str) -> None:
    held = RenditionLock.objects.filter(photo_id=photo_id, stage=stage)
    held.filter(taken_at__lt=timezone.now() - STALE_AFTER).delete()
    for lock in held:
        if is_dead(lock.holder):
            lock.delete()
