"""What an operator's probes and scrapers ask of a web process.

- ``/healthz``: the process is alive and answers (nothing else is asked: a
  liveness probe that failed on a database outage would restart every web
  server at once, which helps nothing).
- ``/readyz``: this process can serve: the database answers and has every
  migration applied, and the cache, the broker and the buckets it is
  configured with answer. 503 with what failed, otherwise 200; a load
  balancer (Varnish's probe, Kubernetes' readiness) sends readers elsewhere
  meanwhile.
- ``/metrics``: Prometheus' text format (``core.metrics``), with the queue
  depths and the tasks that failed every retry asked at scrape time; for the
  bearer of PICDESK_METRICS_TOKEN, or from this machine when none is set.

All three are answered by the outermost middleware: before the host is
checked (probes ask by address), before any HTTPS redirect, never cached,
never rate-limited.
"""

from __future__ import annotations

import hmac

from django.db import connection
from django.http import HttpResponse, JsonResponse

from picdesk.core.config import setting

NOT_STORED = "no-store"


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.answers = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}

    def __call__(self, request):
        answer = self.answers.get(request.path_info)
        response = answer(request) if answer else self.get_response(request)
        if answer:
            response["Cache-Control"] = NOT_STORED
        return response


def healthz(request) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request) -> JsonResponse:
    from picdesk.ops.services import reachability

    checks = reachability()
    ready = all(outcome == "ok" for outcome in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503,
                        json_dumps_params={"indent": 1})


def metrics(request) -> HttpResponse:
    if not _may_scrape(request):
        return HttpResponse("Forbidden: send PICDESK_METRICS_TOKEN as a bearer token\n", status=403,
                            content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from picdesk.ops.scrape import registry

    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


def _may_scrape(request) -> bool:
    token = setting("PICDESK_METRICS_TOKEN")
    if not token:
        return request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1")
    sent = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(sent.encode(), token.encode())


def database_ready() -> None:
    """Raises unless the database answers and every migration is applied."""
    from django.db.migrations.executor import MigrationExecutor

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    if plan := executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError(f"{len(plan)} migration(s) not applied: run `picdesk migrate`")
