"""What ``/metrics`` answers: every process's counts (``core.metrics``,
added up across processes in multiprocess mode) and what is measured when
the scrape comes: tasks waiting, running and failed for good, on the
database queue or the broker's queues."""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily

from picdesk.core.config import setting


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        scraped = CollectorRegistry()
        multiprocess.MultiProcessCollector(scraped)
    else:
        scraped = CollectorRegistry()
        scraped.register(_ProcessCounts())
    scraped.register(QueueCollector())
    return scraped


class _ProcessCounts:
    """This process's own counts, where no other process shares them."""

    def collect(self):
        yield from REGISTRY.collect()


class QueueCollector:
    def collect(self):
        tasks = GaugeMetricFamily("picdesk_queued_tasks", "Background tasks by queue and state, now",
                                  labels=["queue", "state"])
        for queue, state, count in (_broker_depths() if setting("PICDESK_BROKER_URL") else _database_depths()):
            tasks.add_metric([queue, state], count)
        yield tasks


def _database_depths():
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    states = {TaskResultStatus.READY: "waiting", TaskResultStatus.RUNNING: "running",
              TaskResultStatus.FAILED: "failed"}
    rows = (DBTaskResult.objects.filter(status__in=list(states)).order_by()
            .values_list("queue_name", "status").annotate(count=Count("id")))
    for queue, status, count in rows:
        yield queue, states[TaskResultStatus[status]], count


def _broker_depths():
    import django_rq
    from django.conf import settings

    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name)
        yield name, "waiting", queue.count
        yield name, "running", queue.started_job_registry.count
        yield name, "scheduled", queue.scheduled_job_registry.count
        yield name, "failed", queue.failed_job_registry.count
