"""One worker at a time on a photo's renditions.

Tasks can be queued twice for one photo (an upload and a restart's recovery
step, a retry after a worker died): two workers would then decode and encode
the same photo at once, the second's work thrown away under the
one-rendition-per-size constraint. A row per photo and stage, under a unique
constraint, is a lock every database and every worker shares, on one machine
or many; a lock a dead worker left goes stale after ``STALE_AFTER``.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from django.db import IntegrityError, models, transaction
from django.utils import timezone

# Longer than any photo takes (a 150 MP original takes about 20 s on one core).
STALE_AFTER = timedelta(minutes=10)


class RenditionLock(models.Model):
    photo = models.ForeignKey("photos.Photo", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20)  # "publishable" or "background"
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "photos"
        constraints = [models.UniqueConstraint(fields=["photo", "stage"], name="one_worker_per_photo_stage")]


@contextmanager
def rendering(photo_id: int, stage: str) -> Iterator[bool]:
    """Hold the lock on ``photo_id``'s ``stage`` while the block runs; yields
    False (and holds nothing) when another worker holds it."""
    RenditionLock.objects.filter(photo_id=photo_id, stage=stage, taken_at__lt=timezone.now() - STALE_AFTER).delete()
    try:
        with transaction.atomic():
            lock = RenditionLock.objects.create(photo_id=photo_id, stage=stage)
    except IntegrityError:
        yield False
        return
    try:
        yield True
    finally:
        lock.delete()
