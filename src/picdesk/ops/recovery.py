"""Tasks a dead worker left half done, taken up again while the site runs.

A worker killed in the middle of a task (SIGKILL, the OOM killer, its machine
gone) leaves the task RUNNING in the database queue, where no other worker
would ever look. Every worker looks, at start and then every
``EVERY_SECONDS``, for RUNNING tasks whose worker is a dead process on its own
machine, or that started more than PICDESK_TASK_LEASE seconds ago (their
worker is elsewhere and cannot be asked), and makes them ready again. Every
task picdesk queues may run twice without harm: making a rendition that
exists, a purge or a copy to the public bucket twice changes nothing.

On a broker (PICDESK_BROKER_URL), jobs live in RQ, which has its own
registry of jobs whose worker died; this module does nothing there.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

from picdesk.core.config import setting
from picdesk.core.processes import is_dead

logger = logging.getLogger(__name__)

EVERY_SECONDS = 10


def requeue_abandoned_tasks() -> int:
    """Make ready again the RUNNING tasks whose worker is gone; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    lease_began = timezone.now() - timedelta(seconds=setting("PICDESK_TASK_LEASE"))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids", "started_at")
    abandoned = [
        task.pk for task in running
        if (task.worker_ids and is_dead(task.worker_ids[-1])) or (task.started_at and task.started_at < lease_began)
    ]
    taken_up = DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None)
    if taken_up:
        logger.warning("%d task(s) left running by a worker that died are queued again", taken_up)
    return taken_up


def keep_recovering(stopped: threading.Event) -> threading.Thread:
    """A thread of this worker that looks every EVERY_SECONDS until ``stopped``."""

    def look() -> None:
        while not stopped.wait(EVERY_SECONDS):
            try:
                requeue_abandoned_tasks()
            finally:
                close_old_connections()

    thread = threading.Thread(target=look, name="picdesk-recovery", daemon=True)
    thread.start()
    return thread
