"""Sitemaps validate against sitemaps.org's and Google's image schemas, list
live pages only, and robots.txt points at them."""

import re

import pytest
from lxml import etree

from picdesk.ops.demo.build import build_demo
from tests.conftest import STANDARDS
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db
XSD = STANDARDS / "sitemaps"


def schema(name):
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_index_and_month_sitemaps_validate(client):
    build_demo()
    index = fetch(client, "/sitemap.xml")
    schema("siteindex.xsd").assertValid(index)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "i": "http://www.google.com/schemas/sitemap-image/1.1"}
    months = index.xpath("//s:loc/text()", namespaces=ns)
    assert months
    pages = images = 0
    for location in months:
        urlset = fetch(client, location.removeprefix("http://testserver"))
        schema("urlset-with-image.xsd").assertValid(urlset)
        pages += len(urlset.xpath("//s:url", namespaces=ns))
        images += len(urlset.xpath("//i:image/i:loc", namespaces=ns))
    # 5 slideshow pages and their 20 photo pages; every page names its images.
    assert (pages, images) == (25, 40)


def test_only_live_pages_are_listed(client):
    make_slideshow("Live one")
    secret = make_photo("Secret.")
    draft = make_slideshow("Secret draft", photos=[secret], publish=False)
    embargoed = make_slideshow("Embargoed", photos=[secret], days_ago=-1)
    body = b"".join(
        client.get(loc.removeprefix("http://testserver")).content
        for loc in re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    ).decode()
    assert "/pictures/live-one/" in body
    assert draft.slug not in body and embargoed.slug not in body and secret.public_key not in body


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
