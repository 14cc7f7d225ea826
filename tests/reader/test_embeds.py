"""oEmbed and the iframe player: the only page other sites may frame."""

import re

import pytest

from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db


def test_oembed_describes_a_rich_iframe(client):
    show = make_slideshow("Floods", photos=[make_photo("One.", width=1200, height=800)])
    for url in (show.get_absolute_url(), f"{show.get_absolute_url()}1/"):
        data = client.get("/oembed", {"url": f"http://testserver{url}", "maxwidth": 500}).json()
        assert (data["version"], data["type"], data["width"], data["title"]) == ("1.0", "rich", 500, "Floods")
        src = re.search(r'<iframe src="([^"]+)"', data["html"]).group(1)
        assert src == f"http://testserver/embed/{show.slug}/"
        assert data["thumbnail_url"].startswith("http://testserver/media/r/")
    html = page(client, show.get_absolute_url())
    assert 'type="application/json+oembed"' in html


def test_oembed_refuses_what_it_cannot_embed(client):
    draft = make_slideshow("Draft", publish=False)
    assert client.get("/oembed", {"url": f"http://testserver{draft.get_absolute_url()}"}).status_code == 404
    assert client.get("/oembed", {"url": "http://testserver/search/"}).status_code == 404
    assert client.get("/oembed", {"url": "http://testserver/", "format": "xml"}).status_code == 501


def test_only_the_player_may_be_framed(client):
    show = make_slideshow("Floods", photos=[make_photo("One.", credit="WIRE", byline="Li Wei")])
    player = client.get(f"/embed/{show.slug}/")
    assert player.status_code == 200
    assert "X-Frame-Options" not in player.headers
    policy = player["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy
    body = player.content.decode()
    assert "WIRE/Li Wei" in body and f'href="http://testserver{show.get_absolute_url()}"' in body
    assert client.get(show.get_absolute_url())["X-Frame-Options"] == "DENY"
    assert client.get(f"/embed/{make_slideshow('Draft', publish=False).slug}/").status_code == 404


def test_oembed_answers_501_below_the_smallest_player_and_404_for_another_host(client):
    show = make_slideshow("Floods")
    url = f"http://testserver{show.get_absolute_url()}"
    for small in ({"maxwidth": 119}, {"maxheight": 60}, {"maxwidth": 0}):
        response = client.get("/oembed", {"url": url, **small})
        assert response.status_code == 501 and "at least 120 px" in response.json()["error"], small
    fits = client.get("/oembed", {"url": url, "maxwidth": 120, "maxheight": 120}).json()
    assert (fits["width"], fits["height"]) == (120, 120)
    elsewhere = client.get("/oembed", {"url": f"http://elsewhere.example{show.get_absolute_url()}"})
    assert elsewhere.status_code == 404


def test_pages_link_their_oembed_by_absolute_address(client):
    show = make_slideshow("Floods", photos=[make_photo("One.")])
    for url in (show.get_absolute_url(), f"{show.get_absolute_url()}1/"):
        href = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page(client, url))
        assert href and href.group(1).startswith("http://testserver/oembed?url=http"), url
        assert client.get(href.group(1).replace("&amp;", "&")).status_code == 200


def test_the_player_has_a_description_and_a_focusable_strip(client):
    show = make_slideshow("Floods", summary="Rivers burst their banks.")
    body = client.get(f"/embed/{show.slug}/").content.decode()
    assert '<meta name="description" content="Rivers burst their banks.">' in body
    assert re.search(r'<ol class="strip" tabindex="0" aria-label="[^"]+"', body)
