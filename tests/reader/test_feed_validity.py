"""Every feed checked against its specification: Atom with RFC 4287's own
RELAX NG schema (Debian's jing) and the RFC's Schematron rules, which jing
does not enforce; RSS 2.0 and Media RSS against their required elements."""

import email.utils
import subprocess
from collections import Counter

import pytest
from lxml import etree

from picdesk.slideshows.models import Series
from tests.conftest import STANDARDS
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db
A = "http://www.w3.org/2005/Atom"
NS = {"atom": A, "media": "http://search.yahoo.com/mrss/"}
ATOM_SCHEMA = STANDARDS / "atom" / "rfc4287.rnc"


@pytest.fixture
def feeds(client):
    """Every feed of a small site: the site's and each series', Atom and RSS."""
    week = Series.objects.create(name="Photos of the week")
    for n in range(3):
        show = make_slideshow(f"Week {n}", photos=[make_photo(f'Caption {n} <b>&</b> "q".'), make_photo()],
                              days_ago=n + 1)
        show.series = week if n < 2 else None
        show.save()
    make_slideshow("Draft", publish=False)
    urls = ["/feeds/atom.xml", "/feeds/rss.xml", f"/feeds/series/{week.slug}/atom.xml",
            f"/feeds/series/{week.slug}/rss.xml"]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content
    return bodies


def jing(schema, document: bytes, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "feed.xml"
    path.write_bytes(document)
    return subprocess.run(["jing", "-c", str(schema), str(path)], capture_output=True, text=True)


def schematron_problems(document: bytes) -> list[str]:
    """RFC 4287's rules that RELAX NG cannot say (its Schematron asserts, and
    4.1.1's unique alternate links), as XPath over the feed."""
    root = etree.fromstring(document)
    problems = []
    if not root.xpath("atom:author or not(atom:entry[not(atom:author)])", namespaces=NS):
        problems.append("the feed has no author and an entry has none either")
    for n, entry in enumerate(root.xpath("atom:entry", namespaces=NS), 1):
        if not entry.xpath("atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content", namespaces=NS):
            problems.append(f"entry {n} has neither an alternate link nor content")
        if not entry.xpath("atom:author or ../atom:author or atom:source/atom:author", namespaces=NS):
            problems.append(f"entry {n} has no author, nor has its feed")
    for n, owner in enumerate([root, *root.xpath("atom:entry", namespaces=NS)]):
        links = Counter(
            (link.get("type"), link.get("hreflang"))
            for link in owner.xpath("atom:link[@rel='alternate' or not(@rel)]", namespaces=NS)
        )
        problems += [f"{'entry ' + str(n) if n else 'the feed'} repeats the alternate link {key}"
                     for key, times in links.items() if times > 1]
    return problems


def test_every_atom_feed_is_valid_against_rfc_4287(feeds, tmp_path):
    for url, body in feeds.items():
        if url.endswith("atom.xml"):
            result = jing(ATOM_SCHEMA, body, tmp_path)
            assert result.returncode == 0, f"{url}: {result.stdout}{result.stderr}"
            assert schematron_problems(body) == [], url


def test_the_checks_catch_an_invalid_feed(feeds, tmp_path):
    """Each check fails on a feed broken the way it looks for."""
    root = etree.fromstring(feeds["/feeds/atom.xml"])
    root.remove(root.find(f"{{{A}}}id"))
    assert jing(ATOM_SCHEMA, etree.tostring(root), tmp_path).returncode != 0
    root = etree.fromstring(feeds["/feeds/atom.xml"])
    root.remove(root.find(f"{{{A}}}author"))
    entry = root.find(f"{{{A}}}entry")
    entry.append(etree.fromstring(f'<link xmlns="{A}" rel="alternate" href="http://x.test/again"/>'))
    problems = schematron_problems(etree.tostring(root))
    assert "the feed has no author and an entry has none either" in problems
    assert any("repeats the alternate link" in p for p in problems)


def test_every_rss_feed_has_what_rss_2_and_media_rss_require(feeds):
    for url, body in feeds.items():
        if not url.endswith("rss.xml"):
            continue
        root = etree.fromstring(body)
        assert root.tag == "rss" and root.get("version") == "2.0", url
        (channel,) = root.findall("channel")
        for required in ("title", "link", "description"):  # RSS 2.0: required channel elements
            assert (channel.findtext(required) or "").strip(), f"{url}: channel lacks {required}"
        items = channel.findall("item")
        assert items, url
        for item in items:
            # An item needs a title or a description; dates are RFC 822.
            assert item.findtext("title") or item.findtext("description"), url
            assert email.utils.parsedate_to_datetime(item.findtext("pubDate")), url
            contents = item.xpath("media:content", namespaces=NS)
            assert contents, f"{url}: an item without its photos"
            for content in contents:
                # Media RSS: media:content needs a url (or a player); medium and
                # type name what it is; the thumbnail needs a url.
                assert content.get("url", "").startswith("http"), url
                assert (content.get("medium"), content.get("type")) == ("image", "image/jpeg")
                (thumbnail,) = content.xpath("media:thumbnail", namespaces=NS)
                assert thumbnail.get("url", "").startswith("http"), url
