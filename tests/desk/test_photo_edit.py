"""Editing metadata on the desk: sources, the untouched original, renditions
and downloads that carry the edit, bulk edits with a preview."""

import hashlib
import subprocess

import pytest
from django.test import Client

from picdesk.audit.models import AuditEntry
from picdesk.photos.models import Photo
from picdesk.photos.renditions import make_renditions
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db


def _form(photo, **changes):
    fields = {name: getattr(photo, name) for name in
              ["headline", "caption", "title", "byline", "credit", "source", "copyright_notice", "city",
               "sublocation", "state", "country_code", "country", "job_id", "instructions", "alt_text",
               "usage_terms", "date_created"]}
    fields["keywords"] = ", ".join(photo.keywords)
    fields["persons_shown"] = ", ".join(photo.persons_shown)
    return {**fields, **changes}


def test_an_edit_changes_the_record_not_the_original(signed_in, media):
    photo = make_photo("Old caption.", credit="AGENCY", byline="Jane Doe")
    original = (media / photo.original).read_bytes()
    make_renditions(photo)
    assert photo.renditions.exists()
    client = signed_in("contributor")
    page = client.get(f"/desk/photos/{photo.pk}/").content.decode()
    assert "XMP" in page  # where each value came from
    response = client.post(f"/desk/photos/{photo.pk}/", _form(photo, caption="New caption.", keywords="a, b\nc"))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "New caption." and photo.keywords == ["a", "b", "c"]
    assert photo.metadata_sources["caption"] == "edited"
    assert photo.metadata_sources["credit"] == "XMP"
    # Keyed by the photo's own field names: the by-line's source shows on its row.
    assert photo.metadata_sources["byline"] == "XMP" and "bylines" not in photo.metadata_sources
    assert hashlib.sha256((media / photo.original).read_bytes()).hexdigest() == photo.sha256
    assert (media / photo.original).read_bytes() == original
    # Renditions carried the old caption: they go, to be remade with the new one.
    assert not photo.renditions.exists()
    entry = AuditEntry.objects.exclude(action="imported").get(photo=photo)
    assert entry.action == "edited metadata" and "caption" in entry.detail
    assert "edited metadata: caption, keywords" in client.get(f"/desk/photos/{photo.pk}/").content.decode()


def test_saving_the_form_as_shown_changes_nothing(signed_in):
    from picdesk.desk.forms import PhotoMetadataForm

    photo = make_photo("A caption.")
    photo.keywords, photo.persons_shown = ["storm", "coast"], ["Ana Ruiz"]
    photo.save()
    client = signed_in("contributor")
    html = client.get(f"/desk/photos/{photo.pk}/").content.decode()
    assert ">\nstorm, coast</textarea>" in html
    photo.caption = "Two lines:\nthe second."
    photo.save()
    shown = PhotoMetadataForm(instance=photo)
    # As a browser sends it: line breaks in textareas as CRLF.
    sent = {name: str(shown[name].value()).replace("\n", "\r\n") for name in shown.fields}
    client.post(f"/desk/photos/{photo.pk}/", sent)
    photo.refresh_from_db()
    assert photo.keywords == ["storm", "coast"] and photo.persons_shown == ["Ana Ruiz"]
    assert "edited" not in photo.metadata_sources.values()
    assert not AuditEntry.objects.filter(photo=photo).exclude(action="imported").exists()


def test_the_desk_downloads_the_original_as_stored_and_readers_a_copy_with_the_edit(signed_in, tmp_path):
    photo = make_photo("Old caption.", credit="AGENCY", byline="Jane Doe", usage_terms="CC BY 4.0")
    make_slideshow(photos=[photo])
    client = signed_in("editor")
    client.post(f"/desk/photos/{photo.pk}/", _form(photo, caption="Edited caption.", credit="WIRE"))
    download = client.get(f"/desk/photos/{photo.pk}/original/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == photo.sha256
    public = Client().get(f"/api/v1/photos/{photo.public_key}/original")
    path = tmp_path / "download.jpg"
    path.write_bytes(b"".join(public.streaming_content))
    tags = subprocess.run(["exiftool", "-s3", "-XMP-dc:Description", "-XMP-photoshop:Credit", str(path)],
                          capture_output=True, text=True, check=True).stdout.split("\n")
    assert tags[:2] == ["Edited caption.", "WIRE"]


def test_bulk_edit_previews_then_applies(signed_in):
    photos = [make_photo(f"Photo {n} by Jon Smtih.", credit="AGENCY", byline="J. Smith") for n in range(3)]
    ids = ",".join(str(p.pk) for p in photos)
    client = signed_in("contributor")
    values = {"credit": "WIRE", "byline": "", "keywords": "storm, coast", "keywords_mode": "add",
              "find": "Jon Smtih", "replace": "Jon Smith"}
    preview = client.post(f"/desk/photos/bulk/?ids={ids}", {**values, "preview": "1"}).content.decode()
    assert "Photo 0 by Jon Smith." in preview and "Apply 9 changes" in preview
    assert set(Photo.objects.values_list("credit", flat=True)) == {"AGENCY"}  # nothing yet
    client.post(f"/desk/photos/bulk/?ids={ids}", {**values, "apply": "1"})
    for photo in Photo.objects.all():
        assert photo.credit == "WIRE" and photo.byline == "J. Smith"
        assert photo.keywords == ["storm", "coast"]
        assert photo.caption.endswith("by Jon Smith.")
        assert photo.metadata_sources["credit"] == "edited"
    assert AuditEntry.objects.filter(action="bulk edit").count() == 3
    client.post(f"/desk/photos/bulk/?ids={ids}", {"keywords": "flood", "keywords_mode": "replace", "apply": "1"})
    assert {tuple(p.keywords) for p in Photo.objects.all()} == {("flood",)}


def test_only_an_editor_changes_what_readers_see(signed_in):
    """A contributor's edit to a photo in a live slideshow is refused, on its
    page and in a bulk find/replace; an editor's goes through, on the record."""
    from tests.factories import make_slideshow

    live = make_photo("Live caption.", credit="AGENCY")
    make_slideshow("Live", photos=[live])
    unused = make_photo("Unused caption.", credit="AGENCY")
    contributor = signed_in("contributor")
    refused = contributor.post(f"/desk/photos/{live.pk}/", _form(live, caption="Changed by a contributor."),
                               follow=True)
    assert "only an editor may change it" in refused.content.decode()
    ids = f"{live.pk},{unused.pk}"
    contributor.post(f"/desk/photos/bulk/?ids={ids}", {"find": "caption", "replace": "CAPTION", "apply": "1",
                                                      "keywords_mode": "add"})
    assert set(Photo.objects.values_list("caption", flat=True)) == {"Live caption.", "Unused caption."}
    assert not AuditEntry.objects.filter(action__in=["edited metadata", "bulk edit"]).exists()
    signed_in("editor").post(f"/desk/photos/{live.pk}/", _form(live, caption="Fixed by an editor."))
    assert Photo.objects.get(pk=live.pk).caption == "Fixed by an editor."
    assert AuditEntry.objects.get(action="edited metadata", photo=live).username


def test_the_source_type_and_the_licence_are_edited_and_every_rendition_carries_them(signed_in):
    """An editor labels a photo AI-generated, names its licensor or reserves
    it from AI training: readers see the label, and the renditions, remade,
    say each."""
    import pyexiv2
    from django.core.files.storage import default_storage
    from picdesk.desk.forms import PhotoMetadataForm

    photo = make_photo("Made with a model.")
    make_renditions(photo)
    form = PhotoMetadataForm(instance=photo)
    values = {name: str(form[name].value() or "") for name in form.fields}
    ai = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    editor = signed_in("editor")
    page = editor.get(f"/desk/photos/{photo.pk}/").content.decode()
    assert f'<option value="{ai}">AI-generated (trainedAlgorithmicMedia)</option>' in page
    response = editor.post(f"/desk/photos/{photo.pk}/", {
        **values, "digital_source_type": ai, "licensor_url": "https://licensing.example/buy",
        "data_mining": "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.source_label == "AI-generated" and not photo.renditions.exists()
    rendition = make_renditions(photo)[0]
    with default_storage.open(rendition.file, "rb") as f:
        xmp = pyexiv2.ImageData(f.read()).read_xmp()
    assert xmp["Xmp.iptcExt.DigitalSourceType"] == ai
    assert "https://licensing.example/buy" in str(xmp)
    assert xmp["Xmp.plus.DataMining"] == "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING"
