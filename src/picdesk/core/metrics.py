"""What picdesk counts for Prometheus, and where each count is kept.

Every metric is declared here, once; the code that does the work counts
(``REQUESTS`` in the request middleware below, ``RENDERS`` where renditions
are made, ...). What a scrape measures at that moment (queue depths, tasks
that failed every retry) is not counted here but asked of the database or
the broker when ``/metrics`` is read (``ops.health``).

``picdesk serve`` runs several web processes and workers: each writes its
counts to files in PROMETHEUS_MULTIPROC_DIR (prometheus-client's
multiprocess mode, set by ``ops.server`` before any of them starts), and
``/metrics`` adds them up, so whichever process answers the scrape answers
for all. A WSGI server started another way shares them where the operator
sets that variable; without it each process counts alone.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from prometheus_client import Counter, Histogram

from picdesk.core.config import setting

REQUESTS = Counter("picdesk_requests", "Requests answered, by view and status", ["view", "status"])
LATENCY = Histogram("picdesk_request_seconds", "Time to answer a request, by view", ["view"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
TASKS = Counter("picdesk_tasks", "Background tasks finished, by task and outcome", ["task", "outcome"])
RENDERS = Histogram("picdesk_render_seconds", "Time to make one photo's renditions, by kind", ["kind"],
                    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120))
PURGE_FAILURES = Counter("picdesk_purge_failures", "Purges of an HTTP cache or the page cache that failed")
PUBLIC_COPY_FAILURES = Counter("picdesk_public_copy_failures", "Copies to the public bucket that failed")
PAGE_CACHE = Counter("picdesk_page_cache", "Page cache lookups: hit, miss, or unavailable (rendered)",
                     ["result"])

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")
REQUEST_PATH: ContextVar[str] = ContextVar("request_path", default="")
# A request id passed in by a proxy is kept only when it looks like one.
PASSED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
access_log = logging.getLogger("picdesk.access")


class RequestMetricsMiddleware:
    """Outermost: gives each request an id (the proxy's ``X-Request-ID`` or
    a new one, sent back in the response and put on every log line written
    meanwhile), counts and times it by view, and writes the access log line
    where PICDESK_ACCESS_LOG asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        passed = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = passed if PASSED_ID.match(passed) else uuid.uuid4().hex
        tokens = REQUEST_ID.set(request_id), REQUEST_PATH.set(request.path)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            took = time.perf_counter() - started
            view = _view_name(request)
            REQUESTS.labels(view, str(response.status_code)).inc()
            LATENCY.labels(view).observe(took)
            response["X-Request-ID"] = request_id
            if setting("PICDESK_ACCESS_LOG"):
                access_log.info('%s %s %s %d %.1fms', request.META.get("REMOTE_ADDR", "-"), request.method,
                                request.get_full_path(), response.status_code, took * 1000)
            return response
        finally:
            REQUEST_ID.reset(tokens[0])
            REQUEST_PATH.reset(tokens[1])


def _view_name(request) -> str:
    """The URL pattern's name, never the path itself: one label per view, not
    one per slideshow (which would grow Prometheus without bound)."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "unnamed") if match else "unmatched"


class RequestContextFilter(logging.Filter):
    """Puts the request's id and path on every log record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        record.path = REQUEST_PATH.get()
        return True


def count_task(sender, task_result, **kwargs) -> None:
    """django-tasks' task_finished signal: one more task done, or failed."""
    TASKS.labels(task_result.task.name, task_result.status.lower()).inc()
