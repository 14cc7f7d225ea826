"""One worker at a time on a photo's renditions.

Tasks can be queued twice for one photo (an upload and a restart's recovery
step, a retry after a worker died): two workers would then decode and encode
the same photo at once, the second's work thrown away under the
one-rendition-per-size constraint. A row per photo and stage, under a unique
constraint, is a lock every database and every worker shares, on one machine
or many. A lock whose holder died is taken over: at once where the holder ran
on this machine (its process is gone), else once it has missed its beats
(``STALE_AFTER``): a holder refreshes its row every ``BEAT`` while it renders,
so a worker killed on another machine delays its photo by under a minute,
not by the longest render there could be.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from picdesk.core.processes import is_dead, this_process

logger = logging.getLogger(__name__)

BEAT = timedelta(seconds=10)
STALE_AFTER = timedelta(seconds=45)  # four beats missed
POLL = 0.25  # seconds between tries of a lock held by another


class RenditionLock(models.Model):
    photo = models.ForeignKey("photos.Photo", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20)  # "publishable" or "background"
    taken_at = models.DateTimeField(default=timezone.now)
    holder = models.CharField(max_length=300, default="", help_text="host:pid of the worker holding it")

    class Meta:
        app_label = "photos"
        constraints = [models.UniqueConstraint(fields=["photo", "stage"], name="one_worker_per_photo_stage")]


@contextmanager
def rendering(photo_id: int, stage: str, wait: bool = False) -> Iterator[bool]:
    """Hold the lock on ``photo_id``'s ``stage`` while the block runs; yields
    False (and holds nothing) when another worker holds it. With ``wait``,
    first waits for that worker to finish or to be found dead (a job retried
    after its worker was killed finds the dead worker's lock)."""
    deadline = time.monotonic() + ((STALE_AFTER + BEAT).total_seconds() if wait else 0)
    while (lock := _take(photo_id, stage)) is None and time.monotonic() < deadline:
        time.sleep(POLL)
    if lock is None:
        yield False
        return
    stop, beating = _keep_beating(lock)
    try:
        yield True
    finally:
        stop.set()
        beating.join()  # a worker forks between jobs: no thread of ours may be left then
        lock.delete()


def _take(photo_id: int, stage: str) -> RenditionLock | None:
    _drop_dead_locks(photo_id, stage)
    try:
        with transaction.atomic():
            return RenditionLock.objects.create(photo_id=photo_id, stage=stage, holder=this_process())
    except IntegrityError:
        return None


def _keep_beating(lock: RenditionLock) -> tuple[threading.Event, threading.Thread]:
    """Refresh ``lock`` every BEAT until the event is set. Most renders end
    before the first beat: the thread then never opens a connection."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(BEAT.total_seconds()):
                try:
                    RenditionLock.objects.filter(pk=lock.pk).update(taken_at=timezone.now())
                except DatabaseError as error:  # a busy SQLite, a dropped connection: the next beat tries again
                    logger.warning("photo %s: the rendition lock could not be refreshed (%s)", lock.photo_id, error)
                    connection.close()
        finally:
            connection.close()  # this thread's own

    thread = threading.Thread(target=beat, name=f"rendition lock {lock.photo_id}/{lock.stage}", daemon=True)
    thread.start()
    return stop, thread


def _drop_dead_locks(photo_id: int, stage: str) -> None:
    held = RenditionLock.objects.filter(photo_id=photo_id, stage=stage)
    held.filter(taken_at__lt=timezone.now() - STALE_AFTER).delete()
    for lock in held:
        if is_dead(lock.holder):
            lock.delete()
