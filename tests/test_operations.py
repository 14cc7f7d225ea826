"""What an operator relies on: probes, metrics, logs that name the request,
migrations once, services checked at start, the sweep of lost work, and
`picdesk check` beyond storage."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import include, path

from picdesk.core.logs import JsonFormatter
from picdesk.core.metrics import RequestContextFilter
from tests.factories import agency_jpeg, make_photo, make_slideshow
from tests.test_cli import free_port, picdesk, picdesk_env, picdesk_shell
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db


def test_healthz_answers_any_host_and_is_never_stored(client):
    answer = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")  # a probe asks by address
    assert answer.status_code == 200 and answer.content == b"ok\n"
    assert answer["Cache-Control"] == "no-store"


def test_readyz_says_what_answers(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"ready": True, "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}


def test_readyz_is_503_naming_the_cache_that_does_not_answer(client, settings):
    down = f"redis://127.0.0.1:{free_port()}/0"
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": down,
             "OPTIONS": {"socket_connect_timeout": 1}}
    settings.CACHES = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
    answer = client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"] == "ok" and "ConnectionError" in checks["cache"], checks
    # The site itself still answers: the page cache renders what it cannot fetch.
    make_slideshow("Through an outage", photos=[make_photo("Shown through an outage.")])
    assert client.get("/").status_code == 200


def test_metrics_are_for_this_machine_or_the_tokens_bearer(client, monkeypatch):
    client.get("/")
    assert Client(REMOTE_ADDR="10.0.0.9").get("/metrics").status_code == 403
    mine = client.get("/metrics")
    assert mine.status_code == 200 and mine["Content-Type"].startswith("text/plain")
    text = mine.content.decode()
    assert 'picdesk_requests_total{status="200",view="reader:home"}' in text
    assert "picdesk_request_seconds_bucket" in text and "picdesk_queued_tasks" in text
    monkeypatch.setenv("PICDESK_METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 403  # now the token is asked of everyone
    assert Client(REMOTE_ADDR="10.0.0.9").get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def broken_view(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [path("broken/", broken_view), path("", include("picdesk.urls"))]


def test_a_500_is_logged_with_its_traceback_request_id_and_path(settings):
    settings.ROOT_URLCONF = __name__
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        answer = Client(raise_request_exception=False).get("/broken/", HTTP_X_REQUEST_ID="proxy-id-42")
    finally:
        logger.removeHandler(handler)
    assert answer.status_code == 500 and answer["X-Request-ID"] == "proxy-id-42"
    (line,) = [json.loads(text) for text in lines.getvalue().splitlines()]
    assert line["level"] == "ERROR" and line["request_id"] == "proxy-id-42" and line["path"] == "/broken/"
    assert "RuntimeError: a fault in a view" in line["traceback"]


def test_a_request_id_not_like_one_is_replaced(client):
    answer = client.get("/healthz")
    assert client.get("/", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")["X-Request-ID"].isalnum()
    assert answer.status_code == 200


def test_migrations_started_together_all_succeed(tmp_path):
    """Two replicas started at once on a new database: one migrates, the
    other waits and finds nothing left (it crashed with IntegrityError)."""
    home = tmp_path / "home"
    env = picdesk_env()
    runs = [subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "migrate"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outcomes = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes


def test_without_auto_migrate_a_server_refuses_an_unmigrated_database(tmp_path):
    env = picdesk_env(PICDESK_AUTO_MIGRATE="false")
    refused = subprocess.run([sys.executable, "-m", "picdesk", "--home", str(tmp_path / "home"), "serve",
                              "--port", str(free_port())], env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert "not applied: run `picdesk migrate`" in refused.stderr and "DATABASE_URL" in refused.stderr


@pytest.mark.parametrize("settings_given, named", [
    ({"PICDESK_CACHE_URL": "redis://127.0.0.1:{port}/1"}, "PICDESK_CACHE_URL"),
    ({"PICDESK_BROKER_URL": "redis://127.0.0.1:{port}/0"}, "PICDESK_BROKER_URL"),
    ({"PICDESK_PURGER": "varnish"}, "PICDESK_PURGE_URLS"),
    ({"PICDESK_PURGER": "varnish", "PICDESK_PURGE_URLS": "http://127.0.0.1:{port}/"}, "PICDESK_PURGE_URLS"),
    ({"PICDESK_PURGER": "fastly"}, "PICDESK_PURGE_TOKEN"),
])
def test_a_service_that_is_not_there_stops_the_start_naming_its_setting(tmp_path, settings_given, named):
    port = free_port()  # nothing listens there
    env = picdesk_env(**{name: value.format(port=port) for name, value in settings_given.items()})
    for command in (["serve", "--port", str(free_port())], ["worker"]):
        refused = subprocess.run([sys.executable, "-m", "picdesk", "--home", str(tmp_path / "home"), *command],
                                 env=env, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 2 and named in refused.stderr, (command, refused.stderr)


def test_buckets_are_checked_at_start_and_made_by_picdesk_buckets_create(object_storage, tmp_path, monkeypatch):
    import uuid

    from tests.test_object_storage import anonymous_get

    suffix = uuid.uuid4().hex[:8]
    monkeypatch.setenv("PICDESK_S3_BUCKET", f"picdesk-new-{suffix}")
    monkeypatch.setenv("PICDESK_S3_PUBLIC_BUCKET", f"picdesk-new-public-{suffix}")
    home = tmp_path / "home"
    worker = [sys.executable, "-m", "picdesk", "--home", str(home), "worker", "--until-empty"]
    refused = subprocess.run(worker, env=picdesk_env(), capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and f"picdesk-new-{suffix}" in refused.stderr
    assert "`picdesk buckets create`" in refused.stderr
    made = picdesk(home, "buckets", "create")
    assert made.returncode == 0, made.stdout + made.stderr
    assert f"picdesk-new-{suffix} (PICDESK_S3_BUCKET): created" in made.stdout
    assert f"picdesk-new-public-{suffix} (PICDESK_S3_PUBLIC_BUCKET): created" in made.stdout
    assert "anyone may read its objects, nobody may list them" in made.stdout
    public = f"{object_storage.endpoint}/picdesk-new-public-{suffix}"
    assert anonymous_get(f"{public}/.picdesk-probe")[0] == 200
    assert anonymous_get(f"{public}/")[0] == 403  # never listed
    assert anonymous_get(f"{object_storage.endpoint}/picdesk-new-{suffix}/.picdesk-probe")[0] == 403
    assert "created" not in picdesk(home, "buckets", "create").stdout  # again: nothing to do
    started = subprocess.run(worker, env=picdesk_env(), capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr


def test_the_sweep_publishes_a_slideshow_whose_job_was_lost(tmp_path):
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Scheduled, its job lost."))
    assert picdesk(home, "import", str(photo), "--slideshow", "Lost job").returncode == 0
    lose_the_job = """
import datetime as dt
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import publish
publish(Slideshow.objects.get(), timezone.now() + dt.timedelta(seconds=2))
DBTaskResult.objects.all().delete()  # a broker restarted without its data loses as much
print(Slideshow.objects.get().status)
"""
    assert picdesk_shell(home, lose_the_job) == "scheduled"
    worker = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "worker"],
                              env=picdesk_env(PICDESK_SWEEP_SECONDS="1"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    status = "from picdesk.slideshows.models import Slideshow; print(Slideshow.objects.get().status)"
    try:
        wait_for(lambda: picdesk_shell(home, status) == "published",
                 "the sweep never published the slideshow whose job was lost", every=0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    audit = "from picdesk.audit.models import AuditEntry; print(AuditEntry.objects.filter(action='published (scheduled)').count())"
    assert picdesk_shell(home, audit) == "1"


def test_check_reports_failed_tasks_and_repair_queues_them_again(tmp_path):
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("A task that failed."))
    assert picdesk(home, "import", str(photo), "--slideshow", "Failed task").returncode == 0
    fail_them = """
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.update(status="FAILED")
print(DBTaskResult.objects.count())
"""
    failed = int(picdesk_shell(home, fail_them))
    assert failed >= 1
    checked = picdesk(home, "check")
    assert checked.returncode == 1 and f"{failed} tasks that failed every retry" in checked.stdout, checked.stdout
    assert "make_photo_modern_formats" in checked.stdout
    assert picdesk(home, "check", "--repair").returncode == 0
    assert picdesk(home, "worker", "--until-empty").returncode == 0
    clean = picdesk(home, "check")
    assert clean.returncode == 0 and "failed" not in clean.stdout and "WebP" not in clean.stdout, clean.stdout


def test_an_import_reports_a_storage_that_does_not_answer_per_file(tmp_path, monkeypatch):
    """SeaweedFS down during an import: each file is refused by name, nothing half-kept, no traceback."""
    monkeypatch.setenv("PICDESK_S3_BUCKET", "picdesk-nowhere")
    monkeypatch.setenv("PICDESK_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "nobody")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "nothing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.jpg").write_bytes(agency_jpeg(f"Photo {n}."))
    result = picdesk(tmp_path / "home", "import", str(folder), "--slideshow", "Storage down")
    assert result.returncode == 1
    for n in range(3):
        assert f"error: {n}.jpg: cannot store it" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "3 files could not be imported" in result.stderr


def test_an_import_whose_broker_is_down_keeps_every_photo(tmp_path, monkeypatch):
    monkeypatch.setenv("PICDESK_BROKER_URL", f"redis://127.0.0.1:{free_port()}/0")
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.jpg").write_bytes(agency_jpeg(f"Photo {n}."))
    home = tmp_path / "home"
    result = picdesk(home, "import", str(folder), "--slideshow", "Broker down", "--to-workers", "--publish")
    assert result.returncode == 0, result.stderr
    assert "imported 3 photos into published slideshow" in result.stdout
    assert result.stderr.count("its renditions could not be queued") == 3 and "Traceback (most" not in result.stderr


def test_sigterm_lets_a_request_in_hand_finish_and_the_access_log_names_it(tmp_path):
    """A reader's rendition being made when the server is told to stop is
    answered, not cut; the access log (JSON) has its line with the request id."""
    import threading

    from tests.operator_db import query_home
    from tests.test_cli import get

    home, photo = tmp_path / "home", tmp_path / "big.jpg"
    photo.write_bytes(agency_jpeg("Made while the server stops.", width=8000, height=6000))
    imported = picdesk(home, "import", str(photo), "--slideshow", "Draining", "--publish", "--to-workers")
    assert imported.returncode == 0, imported.stderr
    (key,) = query_home(home, "SELECT public_key FROM photos_photo")[0]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
        env=picdesk_env(PICDESK_WORKERS="0", PICDESK_ACCESS_LOG="true", PICDESK_LOG_FORMAT="json"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for(lambda: server.stdout.readline().startswith("picdesk is serving"), "serve never started")
    answers = []
    asking = threading.Thread(target=lambda: answers.append(get(f"http://127.0.0.1:{port}/media/r/{key}/2048.jpg")))
    asking.start()
    wait_for(lambda: query_home(home, "SELECT count(*) FROM photos_renditionlock")[0][0],
             "the rendition was never begun", every=0.01)
    server.terminate()
    asking.join(timeout=120)
    assert server.wait(timeout=60) == 0
    assert answers and answers[0][0] == 200 and answers[0][1] == "image/jpeg", answers
    logged = [json.loads(line) for line in server.stderr.read().splitlines() if line.startswith("{")]
    access = [line for line in logged if line["logger"] == "picdesk.access"]
    assert any(f"/media/r/{key}/2048.jpg 200" in line["message"] and line["request_id"] for line in access), logged
