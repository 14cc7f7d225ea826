"""What an open contact sheet polls for: photos that arrived since, by channel."""

import pytest

from picdesk.photos.ingest import Arrival, ingest_bytes
from tests.factories import agency_jpeg, make_photo

pytestmark = pytest.mark.django_db


def test_arrivals_since_the_page_opened_by_channel(signed_in):
    client = signed_in("contributor")
    before = make_photo("Already there.")
    sheet = client.get("/desk/").content.decode()
    assert f'data-after="{before.pk}"' in sheet
    ftp = ingest_bytes(agency_jpeg("By FTP.", headline="From the camera"), "a.jpg", arrival=Arrival("ftp")).photo
    ingest_bytes(agency_jpeg("Uploaded."), "b.jpg", arrival=Arrival("desk"))
    body = client.get(f"/desk/arrivals/?after={before.pk}&since={before.pk}").json()
    assert len(body["items"]) == 2 and "From the camera" in body["items"][1]
    assert body["counts"] == {"FTP": 1, "upload": 1}
    later = client.get(f"/desk/arrivals/?after={body['latest']}&since={before.pk}").json()
    assert later["items"] == [] and later["counts"] == {"FTP": 1, "upload": 1} and later["latest"] > ftp.pk


def test_only_the_first_unfiltered_page_goes_live(signed_in):
    client = signed_in("contributor")
    make_photo()
    assert "data-arrivals=" in client.get("/desk/").content.decode()
    assert "data-arrivals=" not in client.get("/desk/?q=harbour").content.decode()


def test_a_notifying_rule_tells_the_open_contact_sheet(signed_in):
    from picdesk.slideshows.models import RoutingRule

    RoutingRule.objects.create(name="Wire", field="credit", value="agency", add_to_draft="Wire", notify=True)
    RoutingRule.objects.create(name="Quiet", field="credit", value="agency", add_keywords="x")
    client = signed_in("contributor")
    ingest_bytes(agency_jpeg("One."), "1.jpg")
    ingest_bytes(agency_jpeg("Two."), "2.jpg")
    body = client.get("/desk/arrivals/?after=0&since=0").json()
    assert body["notices"] == ["routed 2 photos by rule Wire: into “Wire”"]
