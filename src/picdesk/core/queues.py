"""Background work on a broker: the Tasks API over RQ and Redis, where
PICDESK_BROKER_URL names a Redis server (``settings.TASKS``).

django-tasks-rq carries tasks to RQ; what it leaves out is picdesk's own thin
layer here:

- priority: RQ honours only "at the front"; a task with a negative priority
  goes to its queue's ``-later`` twin instead, which workers take only when the
  queues before it are empty (so a waiting photo's JPEGs come before anyone's
  AVIF);
- retries: every job is retried on failure, after 5 s, 30 s and 2 minutes
  (tasks are idempotent: a rendition that exists is not made again), a job
  whose worker died too, once the worker is seen dead (``HeartbeatWorker``);
- one at a time: ``photos.locks`` keeps two workers off the same photo.

On the embedded default (no broker) the queue is a database table and
``picdesk serve``'s workers take it; the tasks are the same.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from datetime import timedelta

import redis

from django.conf import settings
from django.db import close_old_connections
from django_rq.queues import DjangoRQ
from django_tasks_rq.backend import Job, RQBackend
from rq import Retry, SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import JobStatus
from rq.worker import WorkerStatus

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


def run_worker(batch: bool = False, sweep: Callable[[], None] | None = None) -> None:
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
    worker = django_rq.get_worker(*settings.RQ_QUEUES, job_class=Job, worker_class=HeartbeatWorker)
    worker.sweep = sweep
    worker.maintenance_interval = MAINTENANCE_SECONDS
    # An idle worker waits on the queues this long before it looks again
    # (worker_ttl - 15), maintenance included: RQ's default is six minutes.
    worker.worker_ttl = MAINTENANCE_SECONDS + 15
    worker.work(burst=batch, with_scheduler=True, logging_level="WARNING")


# A job's worker beats every HEARTBEAT_SECONDS; one not heard of for
# HEARTBEAT_TTL is dead, and the next maintenance (every MAINTENANCE_SECONDS,
# by whichever worker) retries its job: within a minute, not RQ's job timeout
# plus ten minutes (its SimpleWorker beats only once, at the start of a job).
HEARTBEAT_SECONDS = 10
HEARTBEAT_TTL = 30
MAINTENANCE_SECONDS = 20
SCHEDULER_STOP_SECONDS = 5
# How long the thread listening for RQ's commands (stop a job, shut down) waits
# for one at a time. RQ asks 60 s, and redis-py's stop() now waits for that
# thread: every worker's stop would take up to a minute.
COMMANDS_WAIT_SECONDS = 1


class HeartbeatWorker(SimpleWorker):
    """RQ's worker that runs jobs in its own process (no fork: see
    ``run_worker``), beating while a job runs, from a thread of its own, and
    running ``sweep`` with its maintenance, in its main thread: RQ forks its
    scheduler's process from this one, which must then hold no other thread."""

    sweep: Callable[[], None] | None = None

    def run_maintenance_tasks(self):
        self._requeue_abandoned_jobs()
        super().run_maintenance_tasks()
        if self.sweep:
            self.sweep()

    def _requeue_abandoned_jobs(self) -> None:
        """Put the jobs of workers that stopped beating back on their queue at
        once. RQ's own cleanup retries them like failures, after the backoff,
        through its scheduler, whose lock a dead worker may hold for another
        minute. Each counts as a retry, so a job that kills every worker it
        runs in ends in the failed registry, by RQ's cleanup, as before."""
        for queue in self.queues:
            # One worker at a time per queue: two would queue the same job twice.
            if not self.connection.set(f"picdesk:abandoned:{queue.name}", 1, nx=True, ex=MAINTENANCE_SECONDS - 1):
                continue
            for job_id in queue.started_job_registry.get_expired_job_ids():
                try:
                    job = self.job_class.fetch(job_id, connection=self.connection)
                except NoSuchJobError:
                    continue
                if job.get_status(refresh=False) != JobStatus.STARTED or not job.retries_left:
                    continue
                job.retries_left -= 1
                with self.connection.pipeline() as pipeline:
                    job.save(pipeline=pipeline)
                    queue._enqueue_job(job, pipeline=pipeline, at_front=True)
                    pipeline.execute()

    def subscribe(self):
        """RQ's subscription to the worker's command channel, its listening
        thread waking every COMMANDS_WAIT_SECONDS (so that it stops at once)."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMANDS_WAIT_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler)

    def _shutdown(self):
        # RQ raises StopRequested into whatever the main thread is doing when
        # SIGTERM lands. If that is the sweep, which carries on past every
        # error (a dropped database must not stop a worker), the exception is
        # swallowed: the flag still stops the worker once the sweep returns.
        self._stop_requested = True
        super()._shutdown()

    def stop_scheduler(self):
        """Stop the scheduler's process, as RQ does, but wait for it only
        SCHEDULER_STOP_SECONDS: a fork that hangs (a lock some thread of this
        process held when it was forked) is killed, never waited on for ever,
        which would hang the worker's own stop."""
        process = self.scheduler._process if self.scheduler else None
        if not (process and process.pid):
            return
        try:
            os.kill(process.pid, signal.SIGTERM)
        except OSError:
            return
        process.join(SCHEDULER_STOP_SECONDS)
        if process.is_alive():
            self.log.warning("the scheduler (pid %s) did not stop in %d s: killed", process.pid,
                             SCHEDULER_STOP_SECONDS)
            process.kill()
            process.join()

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        return HEARTBEAT_TTL

    def execute_job(self, job, queue):
        execution = self.prepare_execution(job)
        done = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job, execution, done), name="picdesk-heartbeat",
                                daemon=True)
        beat.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            done.set()
            beat.join()
        self.set_state(WorkerStatus.IDLE)

    def _beat(self, job, execution, done: threading.Event) -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            try:
                self.maintain_heartbeats(job, execution)
            except redis.exceptions.RedisError as error:  # the next beat may get through
                self.log.warning("heartbeat of job %s failed: %s", job.id, error)


def _fresh_connections(**kwargs) -> None:
    close_old_connections()
