from pathlib import Path

import pytest
from django.test import Client

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# Schemas and reference files the tests need, shipped with them (see its README).
STANDARDS = Path(__file__).resolve().parent / "standards"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"reference material missing: {SHARED} (../shared beside the checkout)")
    return SHARED


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test stores originals and renditions in a folder of its own (Django's
    setting_changed signal resets default_storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


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
    from picdesk.roles import create_user

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
