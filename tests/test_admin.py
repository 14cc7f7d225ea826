"""Django's admin is off unless PICDESK_ADMIN turns it on; then it is
read-only and signs in through the desk's lock."""

import importlib

import pytest
from django.urls import clear_url_caches

from picdesk import urls
from tests.factories import make_slideshow

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_on(monkeypatch):
    monkeypatch.setenv("PICDESK_ADMIN", "true")
    importlib.reload(urls)
    clear_url_caches()
    yield
    monkeypatch.delenv("PICDESK_ADMIN")
    importlib.reload(urls)
    clear_url_caches()


def test_the_admin_is_off_by_default(client, make_user):
    client.force_login(make_user("admin"))
    assert client.get("/admin/").status_code == 404
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 404


def test_the_admin_shows_but_changes_nothing(admin_on, client, django_user_model):
    show = make_slideshow(title="Floods")
    boss = django_user_model.objects.create_superuser("boss", password="a long pass phrase")
    client.force_login(boss)
    assert client.get(f"/admin/slideshows/slideshow/{show.pk}/change/").status_code == 200
    page = client.get("/admin/slideshows/slideshow/").content.decode()
    assert "Floods" in page and "Add slideshow" not in page
    client.post(f"/admin/slideshows/slideshow/{show.pk}/change/", {"title": "Changed", "status": "draft"})
    assert client.post(f"/admin/slideshows/slideshow/{show.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/slideshows/slideshow/add/").status_code == 403
    show.refresh_from_db()
    assert (show.title, show.status) == ("Floods", "published")


def test_the_admin_signs_in_at_the_desk(admin_on, client, django_user_model, fresh_rate_limits):
    django_user_model.objects.create_superuser("boss", password="a long pass phrase")
    for _ in range(6):
        client.post("/desk/login/", {"username": "boss", "password": "wrong"})
    answer = client.post("/admin/login/", {"username": "boss", "password": "a long pass phrase"})
    assert answer.status_code == 302 and answer["Location"].startswith("/desk/login/")
    assert client.get("/admin/").status_code == 302  # still not signed in
    assert client.post("/desk/login/", {"username": "boss", "password": "a long pass phrase"}).status_code == 429
