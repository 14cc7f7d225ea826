"""What every worker sweeps up while the site runs: the work a lost job or a
dead worker would otherwise leave undone for ever.

- **Scheduled publications.** The database is their source of truth: a
  slideshow scheduled for 10:00 is published by whichever sweep first sees
  it due (``publishing.publish_due``, one conditional UPDATE each, so exactly
  once however many workers sweep), whether or not the job queued for it
  still exists (a broker restarted without its data loses it). Every worker
  sweeps every PICDESK_SWEEP_SECONDS.
- **Rights leases that ended** (or a deny lease that began): their photos
  leave every live slideshow (``slideshows.rights_gate``), in the same sweep.
- **Deliveries to subscribers** that are due and whose job was lost (a
  broker restarted without its data): sent by the sweep (api.deliveries).
- **Abandoned tasks** (database queue only). A worker killed in the middle
  of a task (SIGKILL, the OOM killer, its machine gone) leaves it RUNNING in
  the table, where no other worker would look. Every ``EVERY_SECONDS`` each
  worker makes ready again the RUNNING tasks whose worker is a dead process
  on its own machine, or a worker on another machine silent for 45 s
  (``ops.beats``: each worker beats with its sweep), or that started more
  than PICDESK_TASK_LEASE seconds ago (a worker that never beat). Every task
  picdesk queues may run twice without harm. On a broker, RQ's own registry of
  started jobs does this, from the heartbeats of ``core.queues``, and the
  sweep runs with RQ's maintenance (``core.queues.HeartbeatWorker``).
- **Finished tasks** (database queue only): successful ones older than a day
  are deleted, so the table, and every question asked of it, stays small.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

from picdesk.core.config import setting
from picdesk.core.processes import is_dead, runs_here, this_process
from picdesk.ops import beats

logger = logging.getLogger(__name__)

EVERY_SECONDS = 10
KEEP_FINISHED = timedelta(days=1)


def requeue_abandoned_tasks() -> int:
    """Make ready again the RUNNING tasks whose worker is gone; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    lease_began = timezone.now() - timedelta(seconds=setting("PICDESK_TASK_LEASE"))
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids", "started_at"))
    workers = {task.pk: task.worker_ids[-1] if task.worker_ids else "" for task in running}
    # A worker here is asked directly: its beats may lag behind a busy SQLite.
    gone = beats.silent(worker for worker in workers.values() if worker and not runs_here(worker))
    abandoned = [
        task.pk for task in running
        if is_dead(workers[task.pk]) or workers[task.pk] in gone or (task.started_at and task.started_at < lease_began)
    ]
    taken_up = DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None)
    if taken_up:
        logger.warning("%d task(s) left running by a worker that died are queued again", taken_up)
    return taken_up


def publish_overdue() -> int:
    """Publish the scheduled slideshows whose time has come (their job lost or not)."""
    from picdesk.slideshows.tasks import publish_due_slideshows

    published = publish_due_slideshows.call()
    if published:
        logger.info("%d scheduled slideshow(s) published by the sweep", published)
    return published


def withdraw_ended_leases() -> int:
    from picdesk.slideshows.rights_gate import withdraw_forbidden

    withdrawn = withdraw_forbidden()
    if withdrawn:
        logger.info("%d photo(s) withdrawn: their rights leases no longer allow use", withdrawn)
    return withdrawn


def deliver_overdue() -> int:
    from picdesk.api.deliveries import send_due

    return send_due()


def prune_finished_tasks() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=timezone.now() - KEEP_FINISHED).delete()
    beats.forget_stopped()
    return deleted


class Sweep:
    """The sweep of lost work, run by a worker whenever it has a moment
    (``now``); does it at most every PICDESK_SWEEP_SECONDS."""

    def __init__(self, database_queue: bool):
        self.database_queue = database_queue
        self.last = float("-inf")

    def now(self) -> None:
        try:
            if self.database_queue:
                beats.beat(this_process())
                requeue_abandoned_tasks()
            if time.monotonic() - self.last >= setting("PICDESK_SWEEP_SECONDS"):
                self.last = time.monotonic()
                publish_overdue()
                withdraw_ended_leases()
                deliver_overdue()
                if self.database_queue:
                    prune_finished_tasks()
        except Exception:  # a database that dropped: said, and the next sweep tries again
            logger.exception("the sweep for lost work failed")
        finally:
            close_old_connections()


def keep_sweeping(stopped: threading.Event) -> threading.Thread:
    """A thread of this database-queue worker that sweeps until ``stopped``,
    every EVERY_SECONDS (abandoned tasks) or as PICDESK_SWEEP_SECONDS asks
    (the rest): a worker on the database queue forks nothing."""
    sweep = Sweep(database_queue=True)

    def run() -> None:
        while not stopped.wait(min(EVERY_SECONDS, setting("PICDESK_SWEEP_SECONDS"))):
            sweep.now()

    thread = threading.Thread(target=run, name="picdesk-sweep", daemon=True)
    thread.start()
    return thread
