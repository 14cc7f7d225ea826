"""Security headers on every response, and Django's deployment checks."""

import secrets
import subprocess
import sys

import pytest

from tests.factories import make_slideshow
from tests.test_cli import picdesk_env

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_scripts_framing_and_sniffing(client):
    show = make_slideshow("Secured")
    for url in ("/", show.get_absolute_url(), "/search/?q=x", "/api/v1/slideshows", "/feeds/atom.xml"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline' " not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_deploy_checks_pass_with_production_settings(tmp_path):
    env = picdesk_env(
        PICDESK_HTTPS="true",
        PICDESK_DEBUG="false",
        PICDESK_SECRET_KEY=secrets.token_urlsafe(50),
        PICDESK_ALLOWED_HOSTS="pictures.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-m", "picdesk", "--home", str(tmp_path), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
