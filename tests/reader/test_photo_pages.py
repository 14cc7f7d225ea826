"""Every photo linkable; series and archive pages; social and schema.org markup."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from picdesk.slideshows.models import Series, Slideshow
from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def meta(html, prop):
    return re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html).group(1)


@pytest.fixture
def show():
    photos = [
        make_photo("First caption.", headline="Opening shot", width=1600, height=900),
        make_photo("LISBON — " + "Waves break over the sea wall. " * 15, headline="Storm", width=1600, height=900),
        make_photo("Third caption.", headline="Aftermath", width=1600, height=900),
    ]
    return make_slideshow("Storm over Lisbon", photos=photos, summary="Gales hit the coast.")


def test_photo_page_has_its_own_title_counter_and_pager(client, show):
    html = page(client, f"{show.get_absolute_url()}2/")
    assert "<title>Storm (2 of 3) · Pictures</title>" in html
    assert "2 of 3" in html
    assert f'rel="prev" href="{show.get_absolute_url()}1/"' in html
    assert f'rel="next" href="{show.get_absolute_url()}3/"' in html
    assert "...more" not in html  # the whole caption, always
    assert "AGENCY/Jane Doe" in html


@pytest.mark.parametrize("number", [0, 4])
def test_photo_numbers_outside_the_slideshow_are_404(client, show, number):
    page(client, f"{show.get_absolute_url()}{number}/", status=404)


def test_photo_pages_of_drafts_are_404(client):
    draft = make_slideshow("Draft", publish=False)
    page(client, f"{draft.get_absolute_url()}1/", status=404)


def test_link_previews_show_that_photo(client, show):
    html = page(client, f"{show.get_absolute_url()}3/")
    image = meta(html, "og:image")
    third = show.slides.get(position=3).photo
    assert image.startswith("http://testserver/media/r/") and third.public_key in image
    assert "/191x100-" in image
    assert client.get(image.removeprefix("http://testserver")).status_code == 200
    assert meta(html, "og:title") == "Aftermath"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert f'<link rel="canonical" href="http://testserver{show.get_absolute_url()}3/">' in html


def test_slideshow_page_links_every_photo_and_describes_the_gallery(client, show):
    html = page(client, show.get_absolute_url())
    for n in (1, 2, 3):
        assert f'href="{show.get_absolute_url()}{n}/"' in html
    data = json_ld(html)
    assert data["@type"] == "ImageGallery" and data["name"] == "Storm over Lisbon"
    media = data["associatedMedia"]
    assert [m["caption"] for m in media][0] == "First caption."
    assert all(m["creditText"] == "AGENCY/Jane Doe" and m["creator"]["name"] == "Jane Doe" for m in media)
    assert data["datePublished"] == show.published_at.isoformat()


def test_images_are_licensable_in_json_ld_and_labelled_in_previews(client, monkeypatch):
    """What Google Images needs to badge a picture licensable, the label of
    an AI-made one, and a preview that carries that label."""
    monkeypatch.setenv("PICDESK_LICENSE_URL", "https://pictures.example/licence")
    monkeypatch.setenv("PICDESK_LICENSOR_URL", "https://pictures.example/buy")
    made = make_photo("A render of the new bridge.")
    made.digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    made.date_created = "2026-12-01T09:30:00"
    made.save()
    show = make_slideshow("Bridges", photos=[made, make_photo("A photograph.")], summary="Two bridges.")
    html = page(client, show.get_absolute_url())
    first, second = json_ld(html)["associatedMedia"]
    assert first["license"] == second["license"] == "https://pictures.example/licence"
    assert first["acquireLicensePage"] == "https://pictures.example/buy"
    assert first["dateCreated"] == "2026-12-01T09:30:00"
    assert first["digitalSourceType"].endswith("/trainedAlgorithmicMedia") and "digitalSourceType" not in second
    assert '<meta name="robots" content="max-image-preview:large">' in html
    assert '<meta property="og:description" content="AI-generated. Two bridges.">' in html
    photo_page = page(client, f"{show.get_absolute_url()}1/")
    assert '<meta name="twitter:description" content="AI-generated. A render of the new bridge.">' in photo_page
    assert json_ld(photo_page)["license"] == "https://pictures.example/licence"


def test_json_ld_cannot_be_broken_out_of(client):
    evil = 'Ends here </script><script>alert(1)</script> & more'
    show = make_slideshow(photos=[make_photo(evil)])
    html = page(client, show.get_absolute_url())
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["associatedMedia"][0]["caption"] == evil


def test_series_page_lists_its_live_slideshows(client):
    week = Series.objects.create(name="Photos of the week")
    photo = make_photo()
    inside = make_slideshow("Week 47", photos=[photo])
    inside.series = week
    inside.save()
    hidden = make_slideshow("Week 48 draft", photos=[photo], publish=False)
    hidden.series = week
    hidden.save()
    make_slideshow("Unrelated", photos=[photo])
    html = page(client, "/pictures/series/photos-of-the-week/")
    assert "<h1>Photos of the week</h1>" in html
    assert "Week 47" in html and "Week 48 draft" not in html and "Unrelated" not in html
    assert 'href="/pictures/series/photos-of-the-week/"' in page(client, inside.get_absolute_url())
    page(client, "/pictures/series/nothing-here/", status=404)


def test_archive_by_month(client):
    photo = make_photo()
    june = make_slideshow("June pictures", photos=[photo])
    june.published_at = dt.datetime(2015, 6, 12, 9, tzinfo=dt.timezone.utc)
    june.save()
    make_slideshow("Today's pictures", photos=[photo])
    html = page(client, "/pictures/2015/06/")
    assert "Pictures from June 2015" in html
    assert "June pictures" in html and "Today&#x27;s pictures" not in html
    assert 'href="/pictures/2015/06/"' in page(client, june.get_absolute_url())
    page(client, "/pictures/2015/13/", status=404)


def test_slugs_never_shadow_other_reader_urls():
    assert make_slideshow("Series").slug == "series-2"
    assert make_slideshow("Archive").slug == "archive-2"
    assert make_slideshow("2015").slug == "slideshow-2015"
    assert Slideshow.objects.filter(published_at__lte=timezone.now()).count() == 3


def test_download_only_where_the_terms_allow(client):
    free = make_photo("Free.", width=900, height=600)
    free.copyright_notice = "Jane Doe, CC BY 4.0"
    free.save()
    reserved = make_photo("Reserved.", width=900, height=600)
    reserved.copyright_notice = "© Agency 2026, all rights reserved"
    reserved.usage_terms = "EDITORIAL USE ONLY"
    reserved.save()
    show = make_slideshow(photos=[free, reserved])
    first = page(client, f"{show.get_absolute_url()}1/")
    href = re.search(r'<a class="button" href="([^"]+)" download>Download photo</a>', first).group(1)
    assert href.endswith("/900.jpg") and client.get(href).status_code == 200
    assert "Download photo" not in page(client, f"{show.get_absolute_url()}2/")


def test_share_links_work_without_javascript(client, show):
    html = page(client, f"{show.get_absolute_url()}1/")
    assert 'href="mailto:?subject=Opening%20shot&amp;body=http%3A//testserver' in html
    assert '<button class="share-copy" type="button" hidden>' in html
