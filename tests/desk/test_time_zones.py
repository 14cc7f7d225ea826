"""Desk times in the editor's own time zone: shown and typed in it, stored in
UTC; typed in ISO order whatever the browser's locale."""

import datetime as dt

import pytest

from picdesk.desk.models import DeskProfile
from picdesk.slideshows.models import Slideshow
from tests.factories import make_slideshow

pytestmark = pytest.mark.django_db


def test_an_editor_schedules_in_their_own_time_zone(signed_in):
    client = signed_in("editor")
    account = client.post("/desk/account/", {"time_zone": "America/New_York"}, follow=True)
    assert "Desk times now show in America/New_York" in account.content.decode()
    show = make_slideshow("Election night", publish=False)
    page = client.get(f"/desk/slideshows/{show.pk}/").content.decode()
    assert "Publish at (America/New_York)" in page
    client.post(f"/desk/slideshows/{show.pk}/publish/", {"publish_at": "2030-06-01 09:00", "confirm": "True"})
    show.refresh_from_db()
    assert show.status == Slideshow.Status.SCHEDULED
    assert show.published_at == dt.datetime(2030, 6, 1, 13, 0, tzinfo=dt.timezone.utc)  # stored in UTC
    page = client.get(f"/desk/slideshows/{show.pk}/").content.decode()
    assert "for 2030-06-01 09:00:00 America/New_York" in page


def test_the_desk_default_comes_from_the_setting(signed_in, monkeypatch):
    monkeypatch.setenv("PICDESK_TIME_ZONE", "Europe/Lisbon")
    client = signed_in("editor")
    show = make_slideshow("Summer", publish=False)
    client.post(f"/desk/slideshows/{show.pk}/publish/", {"publish_at": "2030-07-01T12:00", "confirm": "True"})
    show.refresh_from_db()
    assert show.published_at == dt.datetime(2030, 7, 1, 11, 0, tzinfo=dt.timezone.utc)  # Lisbon is UTC+1 in July
    assert "Publish at (Europe/Lisbon)" in client.get(f"/desk/slideshows/{show.pk}/").content.decode()
    assert not DeskProfile.objects.exclude(time_zone="").exists()


def test_reader_pages_never_follow_an_editors_time_zone(signed_in):
    client = signed_in("editor")
    client.post("/desk/account/", {"time_zone": "Pacific/Kiritimati"})  # UTC+14
    show = make_slideshow("Late", publish=False)
    Slideshow.objects.filter(pk=show.pk).update(
        status="published", published_at=dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.timezone.utc))
    assert "March 1, 2024" in client.get(show.get_absolute_url()).content.decode()


def test_date_inputs_are_iso_text_not_locale_pickers(signed_in):
    client = signed_in("editor")
    show = make_slideshow("Any", publish=False)
    for url in ("/desk/", f"/desk/slideshows/{show.pk}/"):
        html = client.get(url).content.decode()
        assert 'type="date' not in html and 'type="datetime-local"' not in html
        assert 'placeholder="YYYY-MM-DD' in html
