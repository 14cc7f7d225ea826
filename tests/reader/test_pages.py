"""The public pages, rendered by Django's test client over a real database."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from picdesk.photos.renditions import make_background_renditions, make_renditions
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import unpublish
from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db


def test_slideshow_page_shows_date_title_summary_and_photos_in_order(client):
    photos = [make_photo(f"Caption number {n}.", byline=f"Shooter {n}") for n in (1, 2, 3)]
    show = make_slideshow("Storm over Lisbon", photos=photos, summary="Gales hit the coast.")
    html = page(client, show.get_absolute_url())
    assert "<h1>Storm over Lisbon</h1>" in html
    assert "Gales hit the coast." in html
    assert f'datetime="{show.published_at.isoformat(timespec="seconds")}"' in html
    positions = [html.index(f"Caption number {n}.") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert '<span class="credit">AGENCY/Shooter 2</span>' in html


def test_long_caption_offers_more_without_javascript(client):
    caption = "MADRID — " + "Crowds gather in the square. " * 12
    show = make_slideshow(photos=[make_photo(caption)])
    html = page(client, show.get_absolute_url())
    assert "<details class=\"more\"><summary>...more</summary>" in html


def test_a_long_credit_is_never_cut_by_more(client):
    """Readers saw "Picdesk Wire/B. Navez and ...more": the cut fell inside the credit."""
    caption = "BRUSSELS — " + "Commuters wait on the platform. " * 7
    photo = make_photo(caption, byline="B. Navez and C. Lemaire")
    html = page(client, make_slideshow(photos=[photo]).get_absolute_url())
    more = html.index('<details class="more">')
    credit = html.index('<span class="credit">AGENCY/B. Navez and C. Lemaire</span>')
    assert credit > html.index("</details>", more), "the credit follows the hidden words, whole"


def test_metadata_is_escaped(client):
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    show = make_slideshow(photos=[make_photo(evil, headline=evil, byline=evil)])
    html = page(client, show.get_absolute_url())
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_images_have_srcset_sizes_dimensions_and_alt(client, monkeypatch):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "320,640")
    photo = make_photo("Caption.", headline="Flooded street", width=800, height=400)
    make_renditions(photo)
    make_background_renditions(photo)
    show = make_slideshow(photos=[photo])
    html = page(client, show.get_absolute_url())
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="800" height="400"' in img
    assert 'alt="Flooded street"' in img
    assert re.search(r'srcset="/media/r/[\w-]+/320\.jpg 320w, /media/r/[\w-]+/640\.jpg 640w"', img)
    assert "sizes=" in img
    assert '<source type="image/webp" srcset="' in html


def test_photo_without_renditions_yet_still_has_an_image(client):
    photo = make_photo("Caption.", width=900, height=600)
    show = make_slideshow(photos=[photo])
    html = page(client, show.get_absolute_url())
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    assert client.get(src).status_code == 200  # made on demand


def test_alt_falls_back_to_headline_then_caption_start():
    assert make_photo("Caption.", alt_text="Alt text").alt == "Alt text"
    assert make_photo("Caption.", headline="Headline").alt == "Headline"
    assert make_photo("First sentence. Second one.").alt == "First sentence"


def test_drafts_are_invisible(client):
    live = make_slideshow("Live one", days_ago=1)
    draft = make_slideshow("Secret draft", publish=False)
    scheduled = make_slideshow("Embargoed", days_ago=-1)
    page(client, draft.get_absolute_url(), status=404)
    page(client, scheduled.get_absolute_url(), status=404)
    for html in (page(client, "/"), page(client, live.get_absolute_url())):
        assert "Secret draft" not in html and "Embargoed" not in html


def test_draft_image_urls_appear_nowhere_public(client):
    secret = make_photo("Secret photo.")
    make_slideshow("Secret draft", photos=[secret], publish=False)
    live = make_slideshow("Live one")
    public = page(client, "/") + page(client, live.get_absolute_url())
    assert secret.public_key not in public
    assert secret.sha256 not in public


def test_home_lists_newest_first_and_paginates(client, monkeypatch):
    monkeypatch.setenv("PICDESK_HOME_PAGE_SIZE", "2")
    photo = make_photo()
    for n in range(1, 6):
        make_slideshow(f"Show {n}", photos=[photo], days_ago=n)
    first = page(client, "/")
    assert first.index("Show 1") < first.index("Show 2")
    assert "Show 3" not in first
    assert 'rel="next" href="?page=2"' in first
    assert "Show 5" in page(client, "/?page=3")


def test_rails_appear_with_titles_and_summaries(client):
    photo = make_photo()
    older = make_slideshow("Older", photos=[photo], days_ago=2, summary="Older summary")
    newer = make_slideshow("Newer", photos=[photo], days_ago=1, summary="Newer summary")
    html = page(client, older.get_absolute_url())
    next_rail = html[html.index('id="next-slideshows"') : html.index('id="more-in-pictures"')]
    assert "Newer" in next_rail and "Newer summary" in next_rail
    assert f'href="{newer.get_absolute_url()}"' in next_rail
    assert "More in Pictures" in html


def test_queries_do_not_grow_with_the_number_of_photos(client):
    small = make_slideshow("Small", photos=[make_photo() for _ in range(2)])
    large = make_slideshow("Large", photos=[make_photo() for _ in range(12)])
    counts = []
    for show in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page(client, show.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_slugs_are_unique():
    a = make_slideshow("Same title")
    b = make_slideshow("Same title")
    assert (a.slug, b.slug) == ("same-title", "same-title-2")
    assert reverse("reader:slideshow", kwargs={"slug": b.slug}) == "/pictures/same-title-2/"
    assert Slideshow.objects.count() == 2


def test_pages_are_cacheable_and_answer_conditional_requests(client):
    show = make_slideshow("Cached")
    first = client.get(show.get_absolute_url())
    # Browsers revalidate every time; shared caches keep it until purged.
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=86400"
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(show.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    again = client.get(show.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_new_publication_changes_last_modified(client):
    from django.utils.http import parse_http_date

    show = make_slideshow("Older", days_ago=2)
    Slideshow.objects.update(updated_at=show.published_at)
    before = parse_http_date(client.get(show.get_absolute_url())["Last-Modified"])
    assert before == int(show.published_at.timestamp())
    make_slideshow("Newer", days_ago=1)  # its rail entry changes this page
    after = parse_http_date(client.get(show.get_absolute_url())["Last-Modified"])
    assert after > before


def test_any_change_in_the_same_second_changes_the_etag(client):
    show = make_slideshow("Cached", photos=[make_photo("First caption.")])
    other = make_slideshow("Other")
    first = client.get(show.get_absolute_url())
    # Unpublishing another slideshow changes this page's rail at once.
    unpublish(other)
    again = client.get(show.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "Other" not in again.content.decode()


def test_rails_and_cards_show_a_lazy_cropped_thumbnail_with_srcset_and_the_photo_count(client):
    import re

    older = make_slideshow("Older", photos=[make_photo("One.", width=1600, height=900), make_photo("Two.")],
                           days_ago=2)
    current = make_slideshow("Current", days_ago=1)
    html = page(client, current.get_absolute_url())
    for rail in ("next-slideshows", "more-in-pictures"):
        section = html.split(f'id="{rail}"', 1)[1].split("</aside>", 1)[0]
        img = re.search(r"<img [^>]+>", section).group(0)
        assert f"/{older.slides.first().photo.public_key}/16x9-" in img and 'loading="lazy"' in img
        assert re.search(r'srcset="[^"]+ 320w, [^"]+ 640w', img), img
    home = page(client, "/")
    older_card = home.split(">Older<", 1)[1].split("</li>", 1)[0]
    assert "2 photos" in older_card
    assert "1 photo<" in home.split(">Current<", 1)[1].split("</li>", 1)[0]
    assert re.search(r'16x9-[0-9a-f]{8}/320.jpg 320w', home)


def test_formatted_page_urls_agree_with_the_url_patterns():
    from django.urls import reverse

    show = make_slideshow("Agreed", photos=[make_photo(), make_photo()])
    assert show.get_absolute_url() == reverse("reader:slideshow", kwargs={"slug": show.slug})
    for slide in show.slides.all():
        assert slide.get_absolute_url() == reverse("reader:photo", kwargs={"slug": show.slug, "number": slide.number})


def test_conditional_requests_are_answered_only_for_pages_that_exist(client):
    from django.utils.http import parse_http_date

    show, other = make_slideshow("Going away", days_ago=2), make_slideshow("Newest", days_ago=1)
    first = client.get(show.get_absolute_url())
    unpublish(show)
    later = client.get(show.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 404
    assert client.get("/pictures/no-such-slideshow/", HTTP_IF_NONE_MATCH="*").status_code == 404
    assert client.get(show.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    # Last-Modified never moves backwards: unpublishing the newest changes pages too.
    home = parse_http_date(client.get("/")["Last-Modified"])
    unpublish(other)
    assert parse_http_date(client.get("/")["Last-Modified"]) >= home


def test_the_home_page_counts_photos_of_its_own_cards_only(client, django_assert_max_num_queries):
    from picdesk.core.config import setting

    shows = [make_slideshow(f"Show {n}", photos=[make_photo(f"{n}-{m}.") for m in range(n % 3 + 1)])
             for n in range(setting("PICDESK_HOME_PAGE_SIZE") + 3)]
    with django_assert_max_num_queries(12):  # the same however many slideshows and photos
        html = client.get("/").content.decode()
    newest = shows[-1]
    card = html[html.index(newest.title):]
    assert f"{newest.slides.count()} photo" in card[:800]
