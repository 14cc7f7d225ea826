"""Background work on a broker: the Tasks API over RQ and Redis, where
PICDESK_BROKER_URL names a Redis server (``settings.TASKS``).

django-tasks-rq carries tasks to RQ; what it leaves out is picdesk's own thin
layer here:

- priority: RQ honours only "at the front"; a task with a negative priority
  goes to its queue's ``-later`` twin instead, which workers take only when the
  queues before it are empty (so a waiting photo's JPEGs come before anyone's
  AVIF);
- retries: every job is retried on failure, after 5 s, 30 s and 2 minutes
  (tasks are idempotent: a rendition that exists is not made again);
- one at a time: ``photos.locks`` keeps two workers off the same photo.

On the embedded default (no broker) the queue is a database table and
``picdesk serve``'s workers take it; the tasks are the same.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django_rq.queues import DjangoRQ
from django_tasks_rq.backend import Job, RQBackend
from rq import Retry, SimpleWorker

LATER = "-later"  # settings.py names each queue's later twin with this
RETRY_INTERVALS = [5, 30, 120]  # seconds before each new attempt


class RetryingQueue(DjangoRQ):
    """An RQ queue whose jobs are retried with backoff when they fail."""

    def create_job(self, *args, **kwargs):
        kwargs.setdefault("retry", Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS))
        return super().create_job(*args, **kwargs)


class PriorityRQBackend(RQBackend):
    """django-tasks-rq, with low-priority tasks on their queue's later twin."""

    supports_priority = True  # as above: below zero waits behind the rest

    def enqueue(self, task, args, kwargs):
        if task.priority < 0 and not task.queue_name.endswith(LATER):
            task = task.using(queue_name=task.queue_name + LATER)
        if task.run_after and task.run_after.microsecond:
            # RQ's scheduler counts whole seconds, rounding down: it would run
            # a task up to a second early (a publication before it is due).
            task = task.using(run_after=task.run_after.replace(microsecond=0) + timedelta(seconds=1))
        return super().enqueue(task, args, kwargs)


def run_worker(batch: bool = False) -> None:
    """Take jobs from every queue, most urgent first, until stopped (or, with
    ``batch``, until none is left). RQ's scheduler runs in whichever worker
    holds its lock, and moves tasks due later (scheduled publications) onto
    their queue when their time comes. No fork per job: a worker keeps its
    database connection and its loaded libraries between photos."""
    import django_rq
    from django_tasks.signals import task_started

    # As a web request does: a connection the database dropped since the last
    # job (a restart, a failover) is replaced, not used.
    task_started.connect(_fresh_connections, dispatch_uid="picdesk-fresh-connections")
    # RQ_QUEUES lists them most urgent first (settings.py).
    worker = django_rq.get_worker(*settings.RQ_QUEUES, job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=batch, with_scheduler=True, logging_level="WARNING")


def _fresh_connections(**kwargs) -> None:
    close_old_connections()
