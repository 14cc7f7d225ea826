"""Database-queue workers say they are alive.

A task a worker leaves RUNNING when it dies stays RUNNING: on its own
machine another worker can see the process is gone, but a worker on another
machine cannot be asked. So each database-queue worker refreshes its row
here every sweep (``recovery.EVERY_SECONDS``), and a task whose worker on
another machine has been silent for ``SILENT_AFTER`` is known abandoned
within a minute, not after PICDESK_TASK_LEASE. (On the broker, RQ's own
worker heartbeats do this.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from django.db import models
from django.utils import timezone

SILENT_AFTER = timedelta(seconds=45)  # four sweeps missed
FORGET_AFTER = timedelta(days=1)


class WorkerBeat(models.Model):
    worker = models.CharField(max_length=300, unique=True, help_text="host:pid, as the task table names it")
    beat_at = models.DateTimeField()

    class Meta:
        app_label = "picdesk"


def beat(worker: str) -> None:
    """Say that ``worker`` is alive now."""
    WorkerBeat.objects.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})


def silent(workers: Iterable[str]) -> set[str]:
    """Those of ``workers`` whose last beat is over SILENT_AFTER old. One that
    never beat is not among them: it may be a worker of an older picdesk, or
    one whose first beat is yet to come (PICDESK_TASK_LEASE covers it)."""
    since = timezone.now() - SILENT_AFTER
    return set(WorkerBeat.objects.filter(worker__in=set(workers), beat_at__lt=since).values_list("worker", flat=True))


def forget_stopped(now: datetime | None = None) -> int:
    """Delete the rows of workers that stopped beating a day ago."""
    deleted, _ = WorkerBeat.objects.filter(beat_at__lt=(now or timezone.now()) - FORGET_AFTER).delete()
    return deleted
