"""Django settings for picdesk, built from the environment (see ``picdesk.core.config``).

The embedded default: SQLite in WAL mode and local files under ``PICDESK_HOME``,
background work through django-tasks' database backend, caches in files of
the home. Growing past one machine changes settings, not code: PostgreSQL
(DATABASE_URL), S3 buckets, Redis as the shared cache and as the broker (see
README.md, Production).
"""

import secrets
from pathlib import Path

from django.utils.functional import lazy

from picdesk.core.config import setting

HOME: Path = setting("PICDESK_HOME")
PACKAGE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    if key := setting("PICDESK_SECRET_KEY"):
        return key
    # Made once per home so sessions survive restarts without an operator step.
    from picdesk.core.storage import write_whole

    key_file = HOME / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    HOME.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    write_whole(key_file, [key.encode()])  # 0600, and whole: a cut key would sign with less
    return key


# Lazy: made (and written to the home) the first time something signs, so a
# command that signs nothing (`picdesk manage help`) leaves the home untouched.
SECRET_KEY = lazy(_secret_key, str)()
DEBUG = setting("PICDESK_DEBUG")
ALLOWED_HOSTS = setting("PICDESK_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "picdesk.apps.PicdeskConfig",
    "picdesk.audit",
    "picdesk.photos",
    "picdesk.slideshows",
    "picdesk.reader",
    "picdesk.api",
    "picdesk.desk",
]

MIDDLEWARE = [
    # First: probes and scrapes are answered before the host is checked (a
    # load balancer asks by address) and before any redirect to HTTPS.
    "picdesk.ops.health.HealthMiddleware",
    "picdesk.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "picdesk.core.caching.SurrogateKeysMiddleware",
    "picdesk.security.ContentSecurityPolicyMiddleware",
    "picdesk.api.errors.JsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "picdesk.core.esi.EdgeSideIncludesMiddleware",  # inside ConditionalGet: the ETag is of the whole page
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "picdesk.desk.middleware.DeskTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "picdesk.core.storage.DiskFullMiddleware",
]

ROOT_URLCONF = "picdesk.urls"
WSGI_APPLICATION = "picdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "picdesk.reader.site.site",
            ],
        },
    },
]


def _databases() -> dict:
    if url := setting("DATABASE_URL"):
        import dj_database_url

        # Connections kept between requests, checked before reuse: a web
        # process asks many small questions a page.
        database = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        if database["ENGINE"] == "django.db.backends.postgresql":
            # PostgreSQL's JIT compiles a query it estimates big (a search at a
            # million photos) in 260 ms, to save it a few: off, as for most web work.
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        return {"default": database}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "picdesk.sqlite3",
            "OPTIONS": {
                # The web server and the workers write at once: WAL lets readers go on
                # while one writes, IMMEDIATE takes the write lock up front so a
                # transaction never fails half-way on an upgrade from read to write.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": HOME / "test.sqlite3"},
        }
    }


DATABASES = _databases()


def _caches() -> dict:
    if url := setting("PICDESK_CACHE_URL"):
        # Bounded waits: a Redis that hangs (paused, a network partition) is
        # answered by rendering the page (core.pagecache), not by a hung request.
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                 "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}
        return {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
    # In files of the home, which every process of `picdesk serve` shares: its
    # web server's processes count one client's requests together, and a
    # worker's scheduled publication purges the pages they serve.
    files = "django.core.cache.backends.filebased.FileBasedCache"
    return {
        "default": {"BACKEND": files, "LOCATION": HOME / "cache" / "counts"},  # rate limits
        "pages": {"BACKEND": files, "LOCATION": HOME / "cache" / "pages", "OPTIONS": {"MAX_ENTRIES": 10000}},
    }


CACHES = _caches()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _s3(bucket: str, **options) -> dict:
    """An S3 storage (django-storages) on ``bucket``; credentials from the
    environment (AWS_ACCESS_KEY_ID...) or the machine's role."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": setting("PICDESK_S3_ENDPOINT_URL") or None,
            "region_name": setting("PICDESK_S3_REGION"),
            "addressing_style": "path" if setting("PICDESK_S3_ENDPOINT_URL") else None,
            "signature_version": "s3v4",
            "file_overwrite": True,  # names are content-addressed or deterministic
            **options,
        },
    }


def _storages() -> dict:
    chosen = {
        "default": {"BACKEND": "picdesk.core.storage.AtomicFileSystemStorage", "OPTIONS": {"location": HOME / "media"}},
        # Fingerprinted names and pre-compressed (gzip, Brotli) copies, made by
        # collectstatic, which `picdesk serve` runs; WhiteNoise then serves them
        # with a year-long immutable cache lifetime.
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    if bucket := setting("PICDESK_S3_BUCKET"):
        # Private: desk links to it are presigned and short-lived.
        chosen["default"] = _s3(bucket, querystring_auth=True, querystring_expire=setting("PICDESK_PRESIGNED_SECONDS"))
    if bucket := setting("PICDESK_S3_PUBLIC_BUCKET"):
        # Readable by anyone: only copies of live photos' renditions (photos.public).
        chosen["public"] = _s3(bucket, querystring_auth=False,
                               object_parameters={"CacheControl": "public, max-age=86400"})
    return chosen


STORAGES = _storages()
# The home is its owner's alone (ops/cli.py): so is every file stored in it.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
# A newsroom's theme: its files come before picdesk's own of the same name.
STATICFILES_DIRS = [theme] if (theme := setting("PICDESK_THEME_DIR")) else []

# Background work: queues most urgent first; the "-later" twins carry the
# low-priority tasks on a broker (picdesk.core.queues), which honours no priority.
TASK_QUEUES = ["default", "renditions"]


def _tasks() -> dict:
    if setting("PICDESK_BROKER_URL"):
        later = [f"{name}-later" for name in TASK_QUEUES]
        return {"default": {"BACKEND": "picdesk.core.queues.PriorityRQBackend", "QUEUES": TASK_QUEUES + later}}
    return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}


def _rq_queues() -> dict:
    if not (url := setting("PICDESK_BROKER_URL")):
        return {}
    queue = {"URL": url, "QUEUE_CLASS": "picdesk.core.queues.RetryingQueue", "DEFAULT_TIMEOUT": 600}
    return {name: queue for name in TASK_QUEUES + [f"{name}-later" for name in TASK_QUEUES]}


TASKS = _tasks()
RQ_QUEUES = _rq_queues()
if RQ_QUEUES:
    INSTALLED_APPS.append("django_rq")

# Over HTTPS (behind a proxy that says so), cookies are secure and browsers are
# told to keep to HTTPS; on the embedded default's plain http://127.0.0.1 not.
HTTPS = setting("PICDESK_HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preload lists are hard to leave: only when the operator asks (Django's
# deploy check would otherwise nag every site that rightly does not).
SECURE_HSTS_PRELOAD = HTTPS and setting("PICDESK_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in ("UserAttributeSimilarityValidator", "MinimumLengthValidator",
                 "CommonPasswordValidator", "NumericPasswordValidator")
]
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:contact_sheet"
# Uploads: files over 2.5 MB stream to temporary files, not memory; the number
# per request is checked against PICDESK_UPLOAD_MAX_FILES by the upload view,
# under this hard ceiling.
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Every line to standard error (systemd's journal, a container's log), as text
# or JSON (PICDESK_LOG_FORMAT). Every 500 is logged with its traceback
# (django.request), and every failed task (django_tasks); the workers' own
# line per task only with --verbose (its handler keeps to warnings).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "picdesk.core.logs.TextFormatter"},
        "json": {"()": "picdesk.core.logs.JsonFormatter"},
    },
    "filters": {"request": {"()": "picdesk.core.metrics.RequestContextFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": setting("PICDESK_LOG_FORMAT"),
                    "filters": ["request"]},
        "problems": {"class": "logging.StreamHandler", "formatter": setting("PICDESK_LOG_FORMAT"),
                     "level": "WARNING", "filters": ["request"]},
    },
    # Not propagated: a worker's own logging setup adds a root handler, which
    # would print every line twice.
    "loggers": {
        "picdesk": {"handlers": ["console"], "level": setting("PICDESK_LOG_LEVEL"), "propagate": False},
        "django.request": {"handlers": ["problems"], "level": "ERROR", "propagate": False},
        "django_tasks": {"handlers": ["problems"], "level": "WARNING", "propagate": False},
        "django_tasks_db": {"handlers": ["problems"], "level": "WARNING", "propagate": False},
    },
}
