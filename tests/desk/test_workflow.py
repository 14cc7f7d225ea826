"""The publishing workflow: the caption checker's warnings, scheduling (an
embargo kept at request time and by the worker), unpublishing, corrections."""

import datetime as dt

import pytest
from django.utils import timezone

from picdesk.audit.models import AuditEntry
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.tasks import publish_due_slideshows
from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db

GOOD = "LISBON, Portugal - Boats return to the harbour on Nov. 26, 2026."


@pytest.fixture
def show():
    return make_slideshow("Harbour", photos=[make_photo(GOOD), make_photo(GOOD)], publish=False)


def _when(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def test_publish_now(editor, show, client):
    response = editor.post(f"/desk/slideshows/{show.pk}/publish/", {})
    assert response.status_code == 302
    show.refresh_from_db()
    assert show.status == "published" and show.first_published_at is not None
    assert client.get(show.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(slideshow=show, action="published").exists()


def test_warnings_hold_publication_until_confirmed(editor):
    risky = make_photo("Boats.", credit="")
    risky.usage_terms = "EDITORIAL USE ONLY. NO ARCHIVES."
    risky.save()
    show = make_slideshow("Risky", photos=[risky], publish=False)
    page = editor.post(f"/desk/slideshows/{show.pk}/publish/", {}).content.decode()
    assert "no credit" in page and "gives no date" in page and "restricted use: usage terms say “EDITORIAL USE ONLY”" in page
    assert "Publish anyway" in page
    assert Slideshow.objects.get(pk=show.pk).status == "draft"
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {"confirm": "True"})
    assert Slideshow.objects.get(pk=show.pk).status == "published"


def test_a_scheduled_slideshow_is_invisible_until_its_time(editor, show, client):
    at = timezone.now() + dt.timedelta(minutes=1)
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {"publish_at": _when(at)})
    show.refresh_from_db()
    assert show.status == "scheduled" and abs(show.published_at - at) < dt.timedelta(seconds=1)
    assert client.get(show.get_absolute_url()).status_code == 404
    assert show.title not in page(client, "/")
    assert show.title not in page(client, "/feeds/atom.xml")
    # Its time comes: readers get it at once, before any worker has run...
    Slideshow.objects.filter(pk=show.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(show.get_absolute_url()).status_code == 200
    # ...and the worker's task makes the state say so.
    assert publish_due_slideshows.call() == 1
    show.refresh_from_db()
    assert show.status == "published"
    assert AuditEntry.objects.filter(slideshow=show, action="published (scheduled)", user=None).exists()


def test_the_worker_does_not_publish_early():
    show = make_slideshow(photos=[make_photo(GOOD)], publish=False)
    from picdesk.slideshows.publishing import publish

    publish(show, timezone.now() + dt.timedelta(hours=1))
    assert publish_due_slideshows.call() == 0
    assert Slideshow.objects.get(pk=show.pk).status == "scheduled"


def test_unpublish_and_republish(editor, show, client):
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {})
    first = Slideshow.objects.get(pk=show.pk).published_at
    editor.post(f"/desk/slideshows/{show.pk}/unpublish/")
    assert Slideshow.objects.get(pk=show.pk).status == "unpublished"
    assert client.get(show.get_absolute_url()).status_code == 404
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {})
    again = Slideshow.objects.get(pk=show.pk)
    assert again.status == "published" and again.published_at == first


def test_a_correction_is_shown_dated_and_moves_lastmod(editor, show, client):
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {})
    before = Slideshow.objects.get(pk=show.pk).updated_at
    editor.post(f"/desk/slideshows/{show.pk}/correct/", {"note": "An earlier caption misnamed the harbour."})
    html = client.get(show.get_absolute_url()).content.decode()
    assert "<strong>Correction</strong>" in html and "misnamed the harbour" in html
    assert f"{timezone.now():%B} {timezone.now().day}, {timezone.now().year}" in html
    assert Slideshow.objects.get(pk=show.pk).updated_at > before
    sitemap = client.get(f"/sitemaps/{show.published_at:%Y-%m}.xml").content.decode()
    assert Slideshow.objects.get(pk=show.pk).updated_at.strftime("%Y-%m-%dT%H:%M") in sitemap


def test_an_edit_to_a_published_slideshow_shows_at_once(editor, show, client):
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {})
    slide = show.slides.first()
    editor.post(f"/desk/slideshows/{show.pk}/", {"title": "Harbour", "slug": show.slug, "summary": "New summary.",
                                                 f"caption-{slide.pk}": "LISBON - Fixed caption, Nov. 26."})
    html = client.get(show.get_absolute_url()).content.decode()
    assert "New summary." in html and "Fixed caption" in html
