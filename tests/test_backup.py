"""`picdesk export` then `picdesk restore` into an empty home reproduces the
site: every page and API document byte for byte, every original, every
account, edit, correction, kill and audit entry."""

import datetime as dt
import hashlib
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from picdesk.api.models import ApiToken
from picdesk.photos.near_copies import NearCopy
from picdesk.ops.backup import BackupError, export_site, restore_site
from picdesk.ops.demo.build import build_demo
from picdesk.slideshows.metadata_edits import save_edits
from picdesk.audit.models import AuditEntry, record
from picdesk.core.roles import role_of
from picdesk.photos.models import Photo, Rendition
from picdesk.photos.renditions import make_background_renditions, make_renditions
from picdesk.slideshows.kills import kill_photo
from picdesk.desk.models import DeskProfile
from picdesk.slideshows.models import Correction, RoutingRule, Series, Slide, Slideshow
from picdesk.photos.codes import CodeReplacement
from picdesk.slideshows.names import DeskName
from picdesk.slideshows.stationery import MetadataTemplate
from picdesk.slideshows.publishing import correct, publish
from tests.factories import agency_jpeg, make_photo, make_slideshow
from tests.test_cli import picdesk

pytestmark = pytest.mark.django_db

WIPE_ORDER = [AuditEntry, Correction, Slide, Slideshow, Rendition, Photo, RoutingRule, MetadataTemplate, Series,
              ApiToken, CodeReplacement, DeskName]


def _site():
    """The demo, plus what a desk does to it."""
    build_demo()
    editor = get_user_model().objects.get(username="demo-editor")
    DeskProfile.objects.create(user=editor, time_zone="Europe/Lisbon")
    stationery = MetadataTemplate.objects.create(name="Sport desk", fields={
        "credit": {"mode": "replace", "text": "AP"}})
    RoutingRule.objects.create(name="Wire to sport", field="credit", value="AP", add_to_draft="Sport",
                               series=Series.objects.first(), template=stationery)
    CodeReplacement.objects.create(code="mb1", texts=["Mookie Betts", "Dodgers"])
    DeskName.objects.create(name="Mookie Betts")
    ApiToken.issue("wire-ingest")
    show = Slideshow.objects.live().get(title__startswith="Autumn")
    photo = show.slides.first().photo
    save_edits(photo, {"caption": "An edited caption, Nov. 26.", "credit": "EDITED"})
    record(editor, "edited metadata", photo=photo, detail="caption, credit")
    correct(show, "An earlier caption misdated the picture.")
    kill_photo(show.slides.last().photo, "Agency kill.")
    publish(make_slideshow("Embargoed", publish=False), timezone.now() + dt.timedelta(days=1))
    make_slideshow("A draft", photos=[make_photo("Draft caption.")], publish=False)


def _render_all():
    for photo in Photo.objects.in_use():
        make_renditions(photo)
        make_background_renditions(photo)


def _documents(client) -> dict[str, bytes]:
    """Every public page and API document."""
    live = list(Slideshow.objects.live())
    urls = ["/", "/feeds/atom.xml", "/feeds/rss.xml", "/sitemap.xml", "/robots.txt", "/api/v1/slideshows",
            "/search/?q=autumn", "/search/?q=light"]
    for show in live:
        base = show.get_absolute_url()
        urls += [base, f"/embed/{show.slug}/", f"/api/v1/slideshows/{show.slug}",
                 f"/oembed?url=http://testserver{base}", f"/pictures/{show.published_at:%Y/%m}/",
                 f"/sitemaps/{show.published_at:%Y-%m}.xml"]
        urls += [slide.get_absolute_url() for slide in show.slides.all()]
        urls += [f"/api/v1/photos/{slide.photo.public_key}" for slide in show.slides.all()]
    urls += [f"/pictures/series/{series.slug}/" for series in Series.objects.all()]
    documents = {}
    for url in sorted(set(urls)):
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = response.content
    return documents


def _originals(media) -> dict[str, str]:
    return {str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in ("originals", "quarantine") for path in (media / folder).rglob("*") if path.is_file()}


def _move_to_an_empty_home(settings, tmp_path):
    for model in WIPE_ORDER:
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "picdesk.core.storage.AtomicFileSystemStorage", "OPTIONS": {"location": tmp_path / "elsewhere"}}}
    return tmp_path / "elsewhere"


def test_export_and_restore_reproduce_the_site(client, settings, tmp_path, media, monkeypatch,
                                               django_capture_on_commit_callbacks):
    monkeypatch.setattr("picdesk.core.batches.BATCH", 3)  # records and originals stream in many batches
    with django_capture_on_commit_callbacks(execute=True):
        _site()
    _render_all()
    before = _documents(client)
    originals = _originals(media)
    audit = list(AuditEntry.objects.values_list("at", "username", "action", "detail").order_by("pk"))
    near_copies = set(NearCopy.objects.values_list("photo_id", "copy_id"))
    archive = tmp_path / "site.tar.gz"
    counts = export_site(archive)
    assert counts.originals == len(originals) == Photo.objects.count()

    elsewhere = _move_to_an_empty_home(settings, tmp_path)
    assert client.get("/").content != before["/"]
    restored = restore_site(archive)
    assert restored.objects == counts.objects
    _render_all()

    after = _documents(client)
    assert after.keys() == before.keys()
    assert [url for url in before if before[url] != after[url]] == []
    assert len(before) >= 60, f"compared only {len(before)} documents"
    assert _originals(elsewhere) == originals
    assert list(AuditEntry.objects.values_list("at", "username", "action", "detail").order_by("pk")) == audit
    assert near_copies and set(NearCopy.objects.values_list("photo_id", "copy_id")) == near_copies
    assert role_of(get_user_model().objects.get(username="demo-editor")) == "editor"
    assert DeskProfile.objects.get(user__username="demo-editor").time_zone == "Europe/Lisbon"
    rule = RoutingRule.objects.get()
    assert (rule.name, rule.value, rule.add_to_draft, rule.series) == ("Wire to sport", "AP", "Sport",
                                                                        Series.objects.first())
    assert rule.template.fields == {"credit": {"mode": "replace", "text": "AP"}}
    assert CodeReplacement.objects.get().texts == ["Mookie Betts", "Dodgers"]
    assert DeskName.objects.get().name == "Mookie Betts"
    assert Photo.objects.filter(killed_at__isnull=False).get().original.startswith("quarantine/")
    assert Slideshow.objects.get(title="Embargoed").status == "scheduled"
    assert Slideshow.objects.get(title="A draft").status == "draft"
    # Ids continue after the restored ones.
    highest = Photo.objects.order_by("-pk").first().pk
    assert make_photo("New after restore.").pk > highest


def test_restore_refuses_a_home_that_is_not_empty(tmp_path):
    make_photo()
    archive = tmp_path / "site.tar"
    export_site(archive)
    with pytest.raises(BackupError, match="not empty"):
        restore_site(archive)


def test_restore_refuses_a_damaged_archive(settings, tmp_path, media):
    make_slideshow(photos=[make_photo()])
    archive = tmp_path / "site.tar"
    export_site(archive)
    data = bytearray(archive.read_bytes())
    original = next(media.glob("originals/*/*")).read_bytes()
    at = data.index(original[200:240])
    data[at] ^= 0xFF
    archive.write_bytes(bytes(data))
    _move_to_an_empty_home(settings, tmp_path)
    with pytest.raises(BackupError, match="does not match its SHA-256"):
        restore_site(archive)
    assert not Photo.objects.exists()


def test_the_commands(tmp_path):
    source, target, photo, archive = tmp_path / "a", tmp_path / "b", tmp_path / "p.jpg", tmp_path / "site.tar"
    photo.write_bytes(agency_jpeg("Exported."))
    assert picdesk(source, "import", str(photo), "--slideshow", "S", "--publish").returncode == 0
    exported = picdesk(source, "export", str(archive))
    assert exported.returncode == 0 and "exported" in exported.stdout
    restored = picdesk(target, "restore", str(archive), database="target")
    assert restored.returncode == 0 and "restored" in restored.stdout, restored.stderr
    again = picdesk(target, "restore", str(archive), database="target")
    assert again.returncode == 2 and "not empty" in again.stderr


def test_every_model_is_exported_or_left_out_with_a_reason():
    from django.apps import apps

    from picdesk.ops.backup import MODELS, NOT_EXPORTED

    labels = {model._meta.label for model in apps.get_models()}
    assert labels - set(MODELS) - set(NOT_EXPORTED) == set(), "add it to backup.MODELS, or to NOT_EXPORTED with why"
    assert set(MODELS) & set(NOT_EXPORTED) == set()


def test_a_restore_purges_nothing(settings, tmp_path, media, django_capture_on_commit_callbacks):
    """Loading an archive is no change readers could have cached: no receiver
    fires on its raw saves (every one used to, purging every key)."""
    from django.core.cache import caches

    from picdesk.core.pagecache import CACHE, EVERY_PAGE, PURGES

    with django_capture_on_commit_callbacks(execute=True):
        _site()
    archive = tmp_path / "site.tar"
    export_site(archive)
    _move_to_an_empty_home(settings, tmp_path)
    caches[CACHE].clear()
    with django_capture_on_commit_callbacks(execute=True):
        restore_site(archive)
    purged = caches[CACHE].get(PURGES)
    assert set(purged) == {"", "generation", EVERY_PAGE}  # picdesk's own cache emptied once, no key purged
