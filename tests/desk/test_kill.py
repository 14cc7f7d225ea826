"""A killed photo vanishes everywhere at once; its original waits in quarantine."""

import datetime as dt

import pytest
from django.utils import timezone

from picdesk.audit.models import AuditEntry
from picdesk.photos.ingest import IngestError, ingest_bytes
from picdesk.photos.models import Photo
from picdesk.photos.storage_names import rendition_url
from picdesk.photos.renditions import make_renditions
from picdesk.reader.search import rebuild_index
from picdesk.slideshows.models import Slideshow
from tests.factories import agency_jpeg, make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarcaption"


@pytest.fixture
def scene(media):
    data = agency_jpeg(f"{SECRET} shows something that must go.", headline="Withdrawn picture")
    doomed = ingest_bytes(data, "doomed.jpg").photo
    keep = make_photo("Harbour boats at dawn.")
    for photo in (doomed, keep):
        make_renditions(photo)
    shared = make_slideshow("Two photos", photos=[keep, doomed], days_ago=1)
    alone = make_slideshow("Only the doomed one", photos=[doomed])
    rebuild_index()
    return {"data": data, "doomed": doomed, "keep": keep, "shared": shared, "alone": alone}


def _everything(client, scene) -> dict[str, str]:
    shared = scene["shared"]
    urls = ["/", shared.get_absolute_url(), f"{shared.get_absolute_url()}1/", "/feeds/atom.xml",
            "/feeds/rss.xml", f"/sitemaps/{shared.published_at:%Y-%m}.xml", "/api/v1/slideshows",
            f"/api/v1/slideshows/{shared.slug}", "/search/?q=something", f"/embed/{shared.slug}/"]
    return {url: page(client, url) for url in urls}


def test_kill_removes_it_from_every_page_feed_and_api(editor, client, scene, media,
                                                     django_capture_on_commit_callbacks):
    doomed = scene["doomed"]
    old_key, old_image = doomed.public_key, rendition_url(doomed, 96, "jpeg")
    assert any(SECRET in body for body in _everything(client, scene).values())
    assert client.get(old_image).status_code == 200
    rendition_files = list((media / "renditions" / old_key).rglob("*.*"))
    assert rendition_files

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/desk/photos/{doomed.pk}/kill/", {"reason": "Agency kill: digitally altered."})
    assert response.status_code == 302

    for url, body in _everything(client, scene).items():
        assert SECRET not in body and old_key not in body and "Withdrawn picture" not in body, url
    assert client.get(old_image).status_code == 404
    assert not any(path.exists() for path in rendition_files)
    doomed.refresh_from_db()
    assert doomed.killed_at and doomed.public_key != old_key and not doomed.renditions.exists()
    # The slideshow that still has a photo stays, renumbered; the empty one is unpublished.
    assert [s.photo_id for s in scene["shared"].slides.all()] == [scene["keep"].pk]
    assert Slideshow.objects.get(pk=scene["alone"].pk).status == "unpublished"
    assert client.get(scene["alone"].get_absolute_url()).status_code == 404
    assert AuditEntry.objects.filter(photo=doomed, action="killed", detail__contains="altered").exists()


def test_the_original_moves_to_quarantine_for_admins_only(signed_in, editor, scene, media,
                                                          django_capture_on_commit_callbacks):
    doomed = scene["doomed"]
    old_path = media / doomed.original
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/desk/photos/{doomed.pk}/kill/", {"reason": "Withdrawn by the agency."})
    doomed.refresh_from_db()
    assert not old_path.exists()
    assert doomed.original.startswith("quarantine/")
    assert (media / doomed.original).read_bytes() == scene["data"]
    # Gone from the desk's own views too, except the admin's quarantine.
    assert editor.get(f"/desk/photos/{doomed.pk}/").status_code == 404
    assert f'name="photo" value="{doomed.pk}"' not in editor.get("/desk/").content.decode()
    admin = signed_in("admin")
    listing = admin.get("/desk/quarantine/").content.decode()
    assert "Withdrawn by the agency." in listing and "editor-user" in listing
    download = admin.get(f"/desk/quarantine/{doomed.pk}/original/")
    assert b"".join(download.streaming_content) == scene["data"]
    assert editor.get(f"/desk/quarantine/{doomed.pk}/original/").status_code == 403


def test_a_killed_photo_cannot_come_back_by_import(editor, scene):
    editor.post(f"/desk/photos/{scene['doomed'].pk}/kill/", {"reason": "Altered."})
    with pytest.raises(IngestError, match="killed on .*: Altered"):
        ingest_bytes(scene["data"], "again.jpg")
    assert Photo.objects.count() == 2


def test_a_kill_needs_a_reason_and_an_editor(signed_in, editor, scene):
    doomed = scene["doomed"]
    assert signed_in("contributor").post(f"/desk/photos/{doomed.pk}/kill/", {"reason": "x"}).status_code == 403
    editor.post(f"/desk/photos/{doomed.pk}/kill/", {"reason": ""})
    doomed.refresh_from_db()
    assert doomed.killed_at is None


def test_a_scheduled_slideshow_loses_the_photo_too(editor, scene, client):
    later = make_slideshow("Embargoed", photos=[scene["doomed"], scene["keep"]], publish=False)
    from picdesk.slideshows.publishing import publish

    publish(later, timezone.now() + dt.timedelta(minutes=5))
    editor.post(f"/desk/photos/{scene['doomed'].pk}/kill/", {"reason": "Altered."})
    Slideshow.objects.filter(pk=later.pk).update(published_at=timezone.now())
    assert SECRET not in page(client, later.get_absolute_url())


def test_integrity_check_stays_clean_after_a_kill(editor, scene, django_capture_on_commit_callbacks):
    from picdesk.photos.integrity import check

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/desk/photos/{scene['doomed'].pk}/kill/", {"reason": "Altered."})
    report = check()
    assert report.clean, report.lines()
    # The killed one is checked (in quarantine) but no longer counted among the photos.
    assert (report.photos, report.killed) == (1, 1)
    assert report.lines()[0].startswith("1 photo, 1 killed photo in quarantine, ")


def test_the_kill_message_counts_in_good_english(editor, scene):
    response = editor.post(f"/desk/photos/{scene['keep'].pk}/kill/", {"reason": "Altered."}, follow=True)
    assert "removed from 1 slideshow." in response.content.decode()
    response = editor.post(f"/desk/photos/{scene['doomed'].pk}/kill/", {"reason": "Altered."}, follow=True)
    assert "removed from 2 slideshows." in response.content.decode()
