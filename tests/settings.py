"""Settings for the test suite: picdesk's own, with a fresh home per run."""

import os
import tempfile

os.environ.setdefault("PICDESK_HOME", tempfile.mkdtemp(prefix="picdesk-test-"))
# The suite searches and uploads far faster than any reader; tests/test_ratelimit.py
# sets the limits it checks.
os.environ.setdefault("PICDESK_SEARCH_RATE", "1000000")
os.environ.setdefault("PICDESK_API_WRITE_RATE", "1000000")
os.environ.setdefault("PICDESK_UPLOAD_RATE", "1000000")

from picdesk.settings import *  # noqa: E402,F403
from picdesk.settings import STORAGES  # noqa: E402

# Tests run the rendition task themselves where they need it; a test that checks
# the real worker does so through `picdesk serve` in a subprocess.
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
# Unit tests render pages without running collectstatic first; the end-to-end
# test through `picdesk serve` checks the fingerprinted, compressed files.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
