from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


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
