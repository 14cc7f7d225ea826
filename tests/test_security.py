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


def test_the_home_its_database_and_its_originals_are_the_owners_alone(tmp_path):
    from tests.conftest import DEMO_PHOTOS
    from tests.test_cli import picdesk

    home = tmp_path / "home"
    home.mkdir(mode=0o755)  # as an operator's mkdir leaves it
    result = picdesk(home, "import", "--slideshow", "Private", str(next(DEMO_PHOTOS.glob("*.jpg"))))
    assert result.returncode == 0, result.stderr
    modes = {path.relative_to(home): path.stat().st_mode & 0o777 for path in [home, *home.rglob("*")]}
    assert modes[home.relative_to(home)] == 0o700
    assert all(mode & 0o077 == 0 for mode in modes.values()), {str(p): oct(m) for p, m in modes.items()
                                                               if m & 0o077}


def test_hsts_preload_only_when_asked(tmp_path):
    script = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD, settings.SECURE_HSTS_SECONDS > 0)"
    answers = [
        subprocess.run([sys.executable, "-m", "picdesk", "--home", str(tmp_path), "manage", "shell", "-c", script],
                       capture_output=True, text=True, timeout=60,
                       env=picdesk_env(PICDESK_HTTPS="true", **extra)).stdout.split()[-2:]
        for extra in ({}, {"PICDESK_HSTS_PRELOAD": "true"})
    ]
    assert answers == [["False", "True"], ["True", "True"]]
