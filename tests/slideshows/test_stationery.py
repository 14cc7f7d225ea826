"""Metadata templates: made on the desk, filled photo by photo, applied to a
selection with a preview or by a routing rule as photos arrive."""

import pytest

from picdesk.audit.models import AuditEntry
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.models import Photo
from picdesk.slideshows.models import RoutingRule
from picdesk.slideshows.stationery import MetadataTemplate, TemplateError, check
from tests.factories import make_jpeg

pytestmark = pytest.mark.django_db


def _photo(name: str, caption: str, date: str = "2026-05-17") -> Photo:
    xmp = {"Xmp.dc.description": {'lang="x-default"': caption}, "Xmp.photoshop.City": "Lyon",
           "Xmp.photoshop.Country": "France", "Xmp.dc.creator": ["Léa Martin"], "Xmp.photoshop.DateCreated": date,
           "Xmp.photoshop.Credit": "STAFF"}
    return ingest_bytes(make_jpeg(xmp=xmp), name).photo


def _form(name: str, **fields) -> dict:
    data = {"name": name}
    for field, (mode, text) in fields.items():
        data[f"{field}_mode"], data[f"{field}_text"] = mode, text
    return data


@pytest.mark.parametrize("fields, problem", [
    ({"caption": {"mode": "replace", "text": "{nonsense}"}}, "no variable {nonsense}"),
    ({"caption": {"mode": "replace", "text": "{city:%Y}"}}, "only {date} takes a format"),
    ({"camera_serial": {"mode": "replace", "text": "x"}}, "cannot set"),
    ({"caption": {"mode": "sideways", "text": "x"}}, "replace, prepend or append"),
])
def test_a_template_naming_what_does_not_exist_is_refused(fields, problem):
    with pytest.raises(TemplateError, match=problem):
        check(fields)


def test_a_template_applied_to_a_selection_after_its_preview(editor):
    photos = [_photo("b.jpg", "Second frame."), _photo("a.jpg", "First frame.", date="2026-05-16")]
    made = editor.post("/desk/templates/", _form(
        "Lyon marathon", caption=("append", " {city}, {country}, {date:%B %d, %Y} ({sequence}). {credit}/{byline}"),
        copyright_notice=("replace", "© {byline}, {date:%Y}"), keywords=("append", "marathon, sport")))
    assert made.status_code == 302
    template = MetadataTemplate.objects.get(name="Lyon marathon")
    ids = ",".join(str(p.pk) for p in photos)
    preview = editor.post(f"/desk/photos/bulk/?ids={ids}&next=/desk/%3Fq%3Dlyon",
                          {"template": template.pk, "keywords_mode": "add", "preview": "1"}).content.decode()
    assert "First frame. Lyon, France, May 16, 2026 (1). STAFF/Léa Martin" in preview
    assert Photo.objects.filter(caption="First frame.").exists()  # nothing yet
    applied = editor.post(f"/desk/photos/bulk/?ids={ids}&next=/desk/%3Fq%3Dlyon",
                          {"template": template.pk, "keywords_mode": "add", "apply": "1"})
    assert applied["Location"] == "/desk/?q=lyon"  # back to the sheet as it was filtered
    first, second = (Photo.objects.get(original_name=name) for name in ("a.jpg", "b.jpg"))
    assert first.caption == "First frame. Lyon, France, May 16, 2026 (1). STAFF/Léa Martin"
    assert second.caption == "Second frame. Lyon, France, May 17, 2026 (2). STAFF/Léa Martin"
    assert first.copyright_notice == "© Léa Martin, 2026" and first.keywords == ["marathon", "sport"]
    assert AuditEntry.objects.filter(photo=first, action="bulk edit").exists()


def test_a_routing_rule_applies_its_template_as_photos_arrive(editor):
    editor.post("/desk/templates/", _form("Staff", headline=("prepend", "LYON - "),
                                          usage_terms=("replace", "Editorial use only")))
    RoutingRule.objects.create(name="Staff job", field="credit", value="staff", add_to_draft="Staff draft",
                               template=MetadataTemplate.objects.get(name="Staff"))
    xmp = {"Xmp.photoshop.Credit": "STAFF", "Xmp.photoshop.Headline": "Runners at dawn"}
    photo = ingest_bytes(make_jpeg(xmp=xmp), "run.jpg").photo
    photo.refresh_from_db()
    assert photo.headline == "LYON - Runners at dawn" and photo.usage_terms == "Editorial use only"
    assert AuditEntry.objects.filter(photo=photo, action="applied template “Staff”").exists()


def test_contributors_do_not_keep_templates(signed_in):
    assert signed_in("contributor").post("/desk/templates/", _form("X", caption=("replace", "x"))).status_code == 403
    assert not MetadataTemplate.objects.exists()
