"""Atom and RSS feeds with Media RSS, site-wide and per series."""

import pytest
from lxml import etree

from picdesk.slideshows.models import Series
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db
NS = {"a": "http://www.w3.org/2005/Atom", "media": "http://search.yahoo.com/mrss/"}


def feed(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return etree.fromstring(response.content)


@pytest.fixture
def shows():
    evil = make_photo('Caption with <b>markup</b> & "quotes" ]]> end.', byline="Ana Ruiz", width=1600, height=900)
    evil.copyright_notice = "© Wire 2026"
    evil.save()
    week = Series.objects.create(name="Photos of the week")
    weekly = make_slideshow("Weekly", photos=[evil, make_photo("Two.")], days_ago=1)
    weekly.series = week
    weekly.save()
    make_slideshow("Other", days_ago=2)
    make_slideshow("Draft", publish=False)
    make_slideshow("Embargoed", days_ago=-1)
    return weekly


def test_atom_feed_entries_carry_their_photos(client, shows):
    root = feed(client, "/feeds/atom.xml", "application/atom+xml")
    titles = root.xpath("/a:feed/a:entry/a:title/text()", namespaces=NS)
    assert titles == ["Weekly", "Other"]
    for path in ("/a:feed/a:id", "/a:feed/a:updated", "/a:feed/a:title", "/a:feed/a:author/a:name"):
        assert root.xpath(path, namespaces=NS), path
    entry = root.xpath("/a:feed/a:entry", namespaces=NS)[0]
    # Each photo its own media:content: a media:group holds versions of one picture.
    assert entry.xpath("media:group", namespaces=NS) == []
    contents = entry.xpath("media:content", namespaces=NS)
    assert len(contents) == 2
    first = contents[0]
    assert (first.get("width"), first.get("height"), first.get("type"), first.get("medium")) == (
        "1600", "900", "image/jpeg", "image")
    assert first.xpath("media:description/text()", namespaces=NS) == [
        'Caption with <b>markup</b> & "quotes" ]]> end.']
    assert first.xpath("media:credit[@role='photographer']/text()", namespaces=NS) == ["Ana Ruiz"]
    assert first.xpath("media:copyright/text()", namespaces=NS) == ["© Wire 2026"]
    thumbnail = first.xpath("media:thumbnail", namespaces=NS)[0]
    assert thumbnail.get("width") == "320"
    assert client.get(first.get("url").removeprefix("http://testserver")).status_code == 200
    assert entry.xpath("a:link[@rel='alternate']/@href", namespaces=NS) == [
        f"http://testserver{shows.get_absolute_url()}"]


def test_rss_feed_has_the_same_items(client, shows):
    root = feed(client, "/feeds/rss.xml", "application/rss+xml")
    assert root.get("version") == "2.0"
    assert root.xpath("/rss/channel/item/title/text()") == ["Weekly", "Other"]
    assert len(root.xpath("/rss/channel/item[1]/media:content", namespaces=NS)) == 2


def test_series_feeds(client, shows):
    atom = feed(client, "/feeds/series/photos-of-the-week/atom.xml", "application/atom+xml")
    assert atom.xpath("/a:feed/a:title/text()", namespaces=NS) == ["Photos of the week"]
    assert atom.xpath("/a:feed/a:entry/a:title/text()", namespaces=NS) == ["Weekly"]
    rss = feed(client, "/feeds/series/photos-of-the-week/rss.xml", "application/rss+xml")
    assert rss.xpath("/rss/channel/item/title/text()") == ["Weekly"]
    assert client.get("/feeds/series/nothing/atom.xml").status_code == 404


def test_the_shared_feed_instance_keeps_no_request(client, shows):
    """granian answers several requests at once in each process: a request
    kept on the URLconf's one instance would lend its host to another's feed."""
    from django.urls import resolve

    feed = resolve("/feeds/atom.xml").func
    client.get("/feeds/atom.xml", HTTP_HOST="localhost")
    assert not hasattr(feed, "request")


def test_each_photo_carries_its_licence(client, shows, monkeypatch):
    monkeypatch.setenv("PICDESK_LICENSE_URL", "https://pictures.example/licence")
    root = feed(client, "/feeds/rss.xml", "application/rss+xml")
    licences = root.xpath("/rss/channel/item[1]/media:content/media:license", namespaces=NS)
    assert len(licences) == 2
    assert {(licence.get("type"), licence.get("href")) for licence in licences} == {
        ("text/html", "https://pictures.example/licence")}


def test_a_correction_updates_its_entry_with_the_note(client, shows):
    import datetime as dt

    from django.utils import timezone

    from picdesk.slideshows.publishing import correct

    with_correction = correct(shows, "An earlier version misspelt the photographer's name.")
    with_correction.created_at = timezone.now() + dt.timedelta(hours=1)  # later than any other change
    with_correction.save()
    root = feed(client, "/feeds/atom.xml", "application/atom+xml")
    entry = root.xpath("/a:feed/a:entry[a:title='Weekly']", namespaces=NS)[0]
    summary = entry.xpath("a:summary/text()", namespaces=NS)[0]
    assert "Correction (" in summary and "misspelt the photographer's name." in summary
    updated = dt.datetime.fromisoformat(entry.xpath("a:updated/text()", namespaces=NS)[0])
    assert updated.replace(microsecond=0) == with_correction.created_at.replace(microsecond=0)
    rss = feed(client, "/feeds/rss.xml", "application/rss+xml")
    assert "misspelt" in rss.xpath("//item[title='Weekly']/description/text()")[0]
