from pathlib import Path

import pytest
from django.test import Client

from tests.operator_db import drop_operator_databases

# Optional reference material beside the checkout (the benchmarks' corpus);
# the tests need none of it: what they read ships with them.
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# Schemas and reference files the tests need, shipped with them (see its README).
STANDARDS = Path(__file__).resolve().parent / "standards"
# Real photographs (public domain, CC0 and CC BY; see demo/CREDITS.md) that
# ship in the package for the demo.
DEMO_PHOTOS = Path(__file__).resolve().parent.parent / "src" / "picdesk" / "ops" / "demo" / "photos"


@pytest.fixture(autouse=True)
def operator_databases():
    """On PostgreSQL, drop the databases this test's `picdesk` commands used
    (tests/operator_db.py); nothing on SQLite."""
    yield
    drop_operator_databases()


@pytest.fixture
def shared() -> Path:
    """../shared, for the few checks that compare against its corpus; skipped
    (never failed) in a clone that has none beside it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not beside this checkout: this check compares against its corpus")
    return SHARED


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test stores originals and renditions in a folder of its own (Django's
    setting_changed signal resets default_storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "picdesk.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    """Each test keeps its pages in a cache of its own (picdesk.core.pagecache)."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path / "pages"},
    }


@pytest.fixture
def fresh_rate_limits():
    """Rate-limit counts live in Django's cache: start and end with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


DESK_PASSWORD = "a-long-desk-password-42"


@pytest.fixture
def make_user(db):
    """``make_user(role)``: a new desk account with that role."""
    from picdesk.core.roles import create_user

    def make(role: str, name: str | None = None):
        return create_user(name or f"{role}-user", DESK_PASSWORD, role)

    return make


@pytest.fixture
def signed_in(make_user):
    """``signed_in(role)``: a client signed in as a new user with that role."""

    def sign_in(role: str) -> Client:
        client = Client()
        client.force_login(make_user(role))
        return client

    return sign_in


@pytest.fixture
def editor(signed_in) -> Client:
    return signed_in("editor")


@pytest.fixture
def task_worker(settings):
    """The real background path: tasks go to django-tasks' database backend, as
    in production, and ``task_worker()`` runs picdesk's own worker over the
    queue until nothing is left. Needs ``django_db(transaction=True)``: work is
    queued when the transaction that asked for it commits."""
    from picdesk.ops.server import run_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "renditions"]}}
    return lambda: run_worker(batch=True)


@pytest.fixture(scope="session")
def agency_pki(tmp_path_factory):
    """A news agency's certificate chain (tests/credentials.py)."""
    from tests.credentials import make_pki

    return make_pki(tmp_path_factory.mktemp("agency-pki"), "Test Agency")


@pytest.fixture(scope="session")
def stranger_pki(tmp_path_factory):
    """A chain nobody configured as a trust anchor."""
    from tests.credentials import make_pki

    return make_pki(tmp_path_factory.mktemp("stranger-pki"), "Unknown Signer")


@pytest.fixture(scope="session")
def publisher_pki(tmp_path_factory):
    from tests.credentials import make_pki

    return make_pki(tmp_path_factory.mktemp("publisher-pki"), "Test Publisher")


@pytest.fixture
def trusted(monkeypatch, agency_pki, publisher_pki, tmp_path):
    """PICDESK_C2PA_TRUST_ANCHORS: the agency's root and the publisher's."""
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(agency_pki.root.read_bytes() + publisher_pki.root.read_bytes())
    monkeypatch.setenv("PICDESK_C2PA_TRUST_ANCHORS", str(anchors))
    return anchors


@pytest.fixture
def signing(monkeypatch, publisher_pki, trusted):
    """Renditions signed by the publisher (PICDESK_C2PA_CERT, PICDESK_C2PA_KEY)."""
    monkeypatch.setenv("PICDESK_C2PA_CERT", str(publisher_pki.chain))
    monkeypatch.setenv("PICDESK_C2PA_KEY", str(publisher_pki.key))
    return publisher_pki


def _service(name: str, variable: str, default: str, probe) -> str:
    """The address of a real service the scale-out tests need (the machine's
    Redis, a bucket server...): from ``variable``, else ``default``. Missing
    on a developer's machine, the test skips and says so; in CI it fails."""
    import os

    address = os.environ.get(variable, default)
    try:
        probe(address)
    except Exception as error:  # any failure to reach it means the same here
        message = f"{name} is not reachable at {address} ({error}); set {variable}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return address


@pytest.fixture
def redis_url() -> str:
    """A Redis database of the tests' own (the machine's server, database 15), emptied before and after."""
    import redis

    def probe(url):
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()

    url = _service("Redis", "PICDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15", probe)
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def shared_cache(settings, redis_url) -> str:
    """Django's cache on that Redis, as PICDESK_CACHE_URL gives every web process."""
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    settings.CACHES = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
    return redis_url


S3_KEY, S3_SECRET = "picdesk-tests", "picdesk-tests-secret-key"  # tests/s3/seaweedfs-s3.json
BUCKET, PUBLIC_BUCKET = "picdesk-tests", "picdesk-tests-public"


def _s3_client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET,
                        region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))


def _empty(client, bucket: str) -> None:
    try:
        client.create_bucket(Bucket=bucket)
    except client.exceptions.ClientError as error:
        if error.response["Error"]["Code"] not in {"BucketAlreadyExists", "BucketAlreadyOwnedByYou"}:
            raise
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])


@pytest.fixture
def object_storage(settings, monkeypatch):
    """Originals, renditions and quarantine in a private bucket, live photos'
    renditions copied to a public one, on a real S3 server (SeaweedFS, which
    `.ci/run` starts with tools/seaweedfs.sh), both emptied first. For this
    process (its STORAGES) and the `picdesk` commands it runs (the
    environment). Yields the tests' S3 client."""
    endpoint = _service("An S3 server", "PICDESK_TEST_S3_ENDPOINT", "http://127.0.0.1:8333",
                        lambda url: _s3_client(url).list_buckets())
    client = _s3_client(endpoint)
    for bucket in (BUCKET, PUBLIC_BUCKET):
        _empty(client, bucket)
    environment = {
        "PICDESK_S3_BUCKET": BUCKET, "PICDESK_S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
        "PICDESK_S3_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    from picdesk.settings import _storages

    settings.STORAGES = {**_storages(), "staticfiles": settings.STORAGES["staticfiles"]}
    # The copies to the public bucket are the workers' (slideshows.tasks): here, at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "renditions"]}}
    client.endpoint = endpoint
    return client


class PrivateRedis:
    """A Redis server of one test's own, on its own port, which the test may
    stop, pause and start again (never the machine's shared one)."""

    def __init__(self, folder):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import subprocess

        from tests.waiting import wait_for_port

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def pause(self) -> None:
        """As a network partition looks: connections open, nothing answered."""
        import signal

        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        import signal

        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def private_redis(tmp_path):
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian's redis-server)")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.resume()
    redis.stop()


@pytest.fixture
def ftp_server(tmp_path):
    """Start ``picdesk ftp`` on a home with a contributor "cam" (``env`` extra)."""
    import subprocess
    import sys

    from tests.test_cli import free_port, picdesk, picdesk_env

    servers = []

    def start(**env):
        home = tmp_path / "home"
        assert picdesk(home, "createuser", "cam", "--role", "contributor", stdin=DESK_PASSWORD + "\n").returncode == 0
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "ftp", "--port", str(port)],
                                  env=picdesk_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        servers.append(server)
        assert "ftp server on" in server.stdout.readline()
        return home, port

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
