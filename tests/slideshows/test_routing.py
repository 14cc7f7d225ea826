"""Routing rules act on every new photo, whatever the channel brought it."""

import pytest

from picdesk.audit.models import AuditEntry
from picdesk.photos.ingest import Arrival, ingest_bytes
from picdesk.slideshows.models import RoutingRule, Series, Slideshow
from tests.factories import agency_jpeg, make_jpeg
from tests.test_cli import picdesk

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    week = Series.objects.create(name="Wire of the day")
    RoutingRule.objects.create(name="Agency pictures", field="credit", value="agency",
                               add_to_draft="Wire: Agency", add_keywords="wire, agency", series=week)
    RoutingRule.objects.create(name="Storm job", field="keywords", value="Storm", add_keywords="weather")
    RoutingRule.objects.create(name="Switched off", field="credit", value="agency", add_keywords="never",
                               active=False)
    return week


@pytest.mark.parametrize("channel", ["cli", "desk", "api", "ftp", "hot folder"])
def test_a_matching_photo_is_routed_from_every_channel(rules, channel):
    photo = ingest_bytes(agency_jpeg("Harbour.", credit="AGENCY"), "a.jpg", arrival=Arrival(channel)).photo
    photo.refresh_from_db()
    assert photo.keywords == ["wire", "agency"]
    draft = Slideshow.objects.get(title="Wire: Agency")
    assert draft.status == Slideshow.Status.DRAFT and draft.series == rules
    assert [s.photo_id for s in draft.slides.all()] == [photo.pk]
    assert AuditEntry.objects.filter(photo=photo, action="routed",
                                     detail="Agency pictures: into “Wire: Agency”").exists()


def test_later_photos_join_the_same_draft_and_others_pass_by(rules):
    first = ingest_bytes(agency_jpeg("One.", credit="AGENCY"), "1.jpg").photo
    second = ingest_bytes(agency_jpeg("Two.", credit="Big Agency Ltd"), "2.jpg").photo
    other = ingest_bytes(agency_jpeg("Three.", credit="STAFF"), "3.jpg").photo
    keyworded = ingest_bytes(make_jpeg(xmp={"Xmp.dc.subject": ["storm", "coast"]}), "4.jpg").photo
    draft = Slideshow.objects.get(title="Wire: Agency")
    assert [s.photo_id for s in draft.slides.all()] == [first.pk, second.pk]
    other.refresh_from_db()
    keyworded.refresh_from_db()
    assert other.keywords == [] and keyworded.keywords == ["storm", "coast", "weather"]


def test_picdesk_import_routes_too(tmp_path):
    home = tmp_path / "home"
    photo = tmp_path / "wire.jpg"
    photo.write_bytes(agency_jpeg("From the wire.", credit="AGENCY"))
    picdesk(home, "manage", "migrate", "-v0")
    picdesk(home, "manage", "shell", "-c", "from picdesk.slideshows.models import RoutingRule; "
            "RoutingRule.objects.create(name='r', field='credit', value='agency', add_to_draft='Wire')")
    assert picdesk(home, "import", str(photo), "--slideshow", "Imported").returncode == 0
    titles = picdesk(home, "manage", "shell", "-c", "from picdesk.slideshows.models import Slideshow; "
                     "print(sorted(s.title for s in Slideshow.objects.filter(slides__isnull=False)))")
    assert titles.stdout.strip().splitlines()[-1] == "['Imported', 'Wire']"


def test_an_admin_makes_and_deletes_rules_on_the_desk(signed_in):
    client = signed_in("admin")
    response = client.post("/desk/routing/", {"name": "Reuters", "field": "credit", "value": "reuters",
                                              "add_to_draft": "Reuters wire", "active": "on"}, follow=True)
    assert "applies to every photo" in response.content.decode()
    rule = RoutingRule.objects.get()
    assert ">Reuters<" in client.get("/desk/routing/").content.decode()
    client.post(f"/desk/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.exists()
