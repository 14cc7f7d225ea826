"""The reader pages' design of their own: masthead and sections, the home's
lead, series and archive indexes, styled errors, the preview banner, the
newsroom's theme by settings, the shipped font."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import checks

from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.models import Series
from picdesk.slideshows.publishing import create_slideshow
from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db

SECTIONS = ["Latest", "Series", "Archive", "Search"]


def sections(html: str) -> list[str]:
    nav = html[html.index('<nav class="sections"'):html.index("</nav>", html.index('<nav class="sections"'))]
    return re.findall(r">([^<>]+)</a>", nav)


def test_every_reader_page_has_the_masthead_sections_and_footer(client):
    show = make_slideshow("Harbour at dawn", photos=[make_photo(), make_photo()])
    for url in ["/", show.get_absolute_url(), f"{show.get_absolute_url()}1/", "/search/?q=x", "/pictures/series/",
                "/pictures/archive/", f"/pictures/{show.published_at:%Y/%m}/"]:
        html = page(client, url)
        assert sections(html) == SECTIONS, url
        assert '<a class="brand" href="/">' in html and "<span>Pictures</span>" in html
        footer = html[html.index('<footer class="site-footer">'):]
        assert "/feeds/atom.xml" in footer and "/feeds/rss.xml" in footer and "rights" in footer


def test_the_current_section_is_marked(client):
    assert 'href="/pictures/archive/" aria-current="page"' in page(client, "/pictures/archive/")
    assert 'href="/" aria-current="page"' in page(client, "/")


def test_the_home_leads_with_the_newest_then_two_then_the_grid(client):
    shows = [make_slideshow(f"Story {n}", days_ago=10 - n, summary=f"Summary {n}.") for n in range(6)]
    html = page(client, "/")
    lead = html[html.index('<article class="lead">'):html.index("</article>")]
    assert "<h2>Story 5</h2>" in lead and "Summary 5." in lead and "1 photo" in lead
    assert 'fetchpriority="high"' in lead  # the largest picture on the screen loads first
    two_up = html[html.index('<ol class="cards two-up">'):]
    two_up = two_up[:two_up.index("</ol>")]
    assert re.findall(r"<h2>(Story \d)</h2>", two_up) == ["Story 4", "Story 3"]
    grid = html[html.index('<ol class="cards">'):]
    assert re.findall(r"<h2>(Story \d)</h2>", grid[:grid.index("</ol>")]) == ["Story 2", "Story 1", "Story 0"]
    assert 'fetchpriority="high"' not in html.replace(lead, "")
    assert len(shows) == 6


def test_the_home_shows_rows_of_the_series_newest(client):
    week = Series.objects.create(name="Photos of the week")
    for n in range(5):
        create_slideshow(f"Week {n}", [make_photo()], series=week, publish=True)
    html = page(client, "/")
    row = html[html.index('<section class="series-row"'):]
    assert f'href="/pictures/series/{week.slug}/">Photos of the week</a>' in row
    assert len(re.findall(r"<h2>Week \d</h2>", row)) == 4


def test_series_and_archive_indexes_list_only_what_is_live(client):
    week, drafts = Series.objects.create(name="Photos of the week"), Series.objects.create(name="Only drafts")
    create_slideshow("Week 1", [make_photo()], series=week, publish=True)
    create_slideshow("Unpublished", [make_photo()], series=drafts, publish=False)
    html = page(client, "/pictures/series/")
    assert "Photos of the week" in html and "Week 1" in html
    assert "Only drafts" not in html and "Unpublished" not in html
    old = make_slideshow("Old story", days_ago=400)
    html = page(client, "/pictures/archive/")
    assert f'href="/pictures/{old.published_at:%Y/%m}/"' in html
    assert f"<h2 id=\"year-{old.published_at.year}\">" in html


def test_a_missing_page_is_styled_with_a_way_back(client):
    html = page(client, "/pictures/no-such-thing/", status=404)
    assert sections(html) == SECTIONS
    assert "<h1>We can’t find that page</h1>" in html
    assert 'href="/">Go to the latest pictures</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_withdrawn_photo_says_so(client):
    photo = make_photo("Soon withdrawn.")
    show = make_slideshow("Gallery", photos=[make_photo(), photo])
    kill_photo(photo, "Agency kill.")
    html = page(client, f"{show.get_absolute_url()}2/", status=410)
    assert "<h1>This picture was withdrawn</h1>" in html and sections(html) == SECTIONS
    assert f'href="{show.get_absolute_url()}">See the rest of the slideshow</a>' in html


def test_the_api_still_answers_json_when_not_found(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_the_preview_is_bannered_and_offers_no_public_share_links(editor):
    show = make_slideshow("Draft gallery", publish=False)
    html = page(editor, f"/desk/slideshows/{show.pk}/preview/")
    assert "Preview — not published." in html
    assert 'class="share"' not in html and "mailto:" not in html
    assert 'class="share"' in page(editor, make_slideshow("Live").get_absolute_url())


def test_a_file_name_is_never_a_photo_pages_heading(client):
    photo = make_photo("A caption.", headline="Benchmark corpus photo forensics__IMG_20240101_0001.jpg")
    show = make_slideshow("Floods in the north", photos=[photo])
    html = page(client, f"{show.get_absolute_url()}1/")
    assert "<h1>Floods in the north</h1>" in html and "IMG_2024" not in html
    assert "<title>Floods in the north (1 of 1) · Pictures</title>" in html
    assert "IMG_2024" not in page(client, "/search/?q=caption")


def test_the_photo_page_shows_place_date_pager_and_corrections_above_or_near_the_photo(client):
    from picdesk.slideshows.publishing import correct

    photo = make_photo("Boats in the harbour.")
    photo.city, photo.country, photo.date_created = "Porto", "Portugal", "2026-11-29T08:12:00"
    photo.save()
    show = make_slideshow("Harbour", photos=[make_photo(), photo, make_photo()])
    correct(show, "An earlier version named the wrong river.", by=None)
    html = page(client, f"{show.get_absolute_url()}2/")
    assert '<span class="place">Porto, Portugal</span>' in html
    assert '<time datetime="2026-11-29">November 29, 2026</time>' in html
    assert html.index('rel="next"') < html.index("<figure>") and html.index('rel="prev"') < html.index("<figure>")
    assert "An earlier version named the wrong river." in html


def test_settings_theme_the_masthead(client, monkeypatch, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40"/></svg>')
    monkeypatch.setenv("PICDESK_SITE_NAME", "The Daily Lens")
    monkeypatch.setenv("PICDESK_SITE_LOGO", str(logo))
    monkeypatch.setenv("PICDESK_ACCENT_COLOR", "#FFD500")
    html = page(client, "/")
    assert "<span>The Daily Lens</span>" in html and "<title>The Daily Lens</title>" in html
    assert "--brand: #ffd500; --brand-ink: #000;" in html  # black reads better on yellow
    src = re.search(r'<img src="([^"]+)" width="96" height="32" alt="">', html).group(1)
    served = client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/svg+xml"
    assert b"".join(served.streaming_content) == logo.read_bytes()
    assert "default-src 'none'" in served["Content-Security-Policy"]


def test_a_dark_accent_gets_white_text():
    from picdesk.reader.site import ink_on

    assert (ink_on("#c8102e"), ink_on("#1d3557"), ink_on("#ffffff"), ink_on("#ffd500")) == ("#fff", "#fff", "#000", "#000")


@pytest.mark.parametrize("name, value", [("PICDESK_ACCENT_COLOR", "red"), ("PICDESK_SITE_LOGO", "/no/such/logo.svg"),
                                         ("PICDESK_THEME_DIR", "/no/such/folder")])
def test_bad_theme_settings_are_refused_at_start_naming_the_setting(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    errors = [e for e in checks.run_checks() if e.id == "picdesk.E001"]
    assert [name in e.msg for e in errors] == [True]


def test_the_font_is_shipped_small_licensed_and_preloaded(client):
    font = Path(finders.find("reader/fonts/source-serif-4-latin-600.woff2"))
    assert font.read_bytes()[:4] == b"wOF2" and font.stat().st_size <= 40 * 1024
    assert "SIL Open Font License" in (font.parent / "OFL.txt").read_text()
    html = page(client, "/")
    assert re.search(r'<link rel="preload" href="/static/reader/fonts/source-serif-4-latin-600(\.[0-9a-f]+)?\.woff2" '
                     r'as="font" type="font/woff2" crossorigin>', html)
    tokens = Path(finders.find("reader/tokens.css")).read_text()
    assert "font-display: swap" in tokens and "http" not in tokens  # no font from the network


def test_a_new_look_is_never_served_from_pages_kept_under_the_old(client, monkeypatch):
    make_slideshow("Kept page")
    assert "--brand: #c8102e;" in page(client, "/")
    assert "--brand: #c8102e;" in page(client, "/")  # now from the page cache
    monkeypatch.setenv("PICDESK_ACCENT_COLOR", "#1d3557")
    monkeypatch.setenv("PICDESK_SITE_NAME", "The Daily Lens")
    html = page(client, "/")
    assert "--brand: #1d3557;" in html and "<span>The Daily Lens</span>" in html


def test_a_logo_that_is_no_image_leaves_the_name_alone(client, monkeypatch, tmp_path, caplog):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not a png at all")
    monkeypatch.setenv("PICDESK_SITE_LOGO", str(broken))
    html = page(client, "/")
    assert "<span>Pictures</span>" in html and "/logo?v=" not in html
    assert "is not an image" in caplog.text


def test_a_logo_deleted_while_running_leaves_the_name_and_the_pages_up(client, monkeypatch, tmp_path, caplog):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"/>')
    monkeypatch.setenv("PICDESK_SITE_LOGO", str(logo))
    assert "/logo?v=" in page(client, "/")
    logo.unlink()
    html = page(client, "/pictures/archive/")
    assert "<span>Pictures</span>" in html and "/logo?v=" not in html
    assert client.get("/logo").status_code == 404
    assert "PICDESK_SITE_LOGO" in caplog.text
