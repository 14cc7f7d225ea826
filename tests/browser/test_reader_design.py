"""The reader pages' design in Chromium at a phone's and a desktop's width:
the immersive slideshow, the viewer filling the phone, the home's lead, the
shipped font."""

import os

import pytest

from tests.factories import make_photo, make_slideshow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def show():
    photos = [make_photo(f"Caption of photo {n}.", byline="B. Navez and C. Lemaire", width=1200, height=800)
              for n in (1, 2)]
    photos.append(make_photo("A small photo.", width=400, height=300))
    return make_slideshow("Three photos", photos=photos, summary="Across the region.")


@pytest.fixture
def at(browser):
    contexts = []

    def open_page(width: int, height: int):
        contexts.append(browser.new_context(viewport={"width": width, "height": height}))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_slideshow_is_immersive_and_edge_to_edge_on_a_phone(live_server, at, show):
    page = at(390, 844)
    page.goto(live_server.url + show.get_absolute_url())
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(14, 14, 14)"
    photo = box(page, ".slides picture")
    assert (photo["x"], photo["width"]) == (0, 390)
    first = page.locator(".slides figcaption").first
    assert first.locator(".counter").inner_text() == "1 of 3"
    caption, credit = box(page, ".slides .caption-text"), box(page, ".slides .credit")
    assert credit["y"] >= caption["y"] + caption["height"] - 1, "the credit sits on a line of its own"
    assert first.locator(".credit").inner_text() == "AGENCY/B. Navez and C. Lemaire"


def test_a_small_photo_is_centred_at_its_own_size(live_server, at, show):
    page = at(1440, 900)
    page.goto(live_server.url + show.get_absolute_url())
    small = page.locator(".slides picture").nth(2)
    small.scroll_into_view_if_needed()
    picture, column = small.bounding_box(), box(page, ".slides")
    assert picture["width"] == 400
    assert abs((picture["x"] + 200) - (column["x"] + column["width"] / 2)) <= 1


def test_the_viewer_fills_a_phone_and_keeps_the_caption_in_a_drawer(live_server, at, show):
    page = at(390, 844)
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()
    page.wait_for_function("() => document.querySelector('.viewer-stage img').complete")
    assert not page.evaluate("() => document.querySelector('.viewer-caption').open")
    photo, stage = box(page, ".viewer-stage img"), box(page, ".viewer-stage")
    assert photo["width"] == 390 and stage["height"] >= 0.85 * 844
    page.locator(".viewer-caption summary").click()
    assert page.locator(".viewer-caption-text").inner_text() == "Caption of photo 1."
    assert page.locator(".viewer-credit").inner_text() == "AGENCY/B. Navez and C. Lemaire"
    photo, drawer = box(page, ".viewer-stage img"), box(page, ".viewer-caption")
    assert photo["y"] + photo["height"] <= drawer["y"] + 1, "the drawer never covers the photo"


def test_the_viewer_shows_the_caption_where_the_screen_has_room(live_server, at, show):
    page = at(1440, 900)
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()
    assert page.evaluate("() => document.querySelector('.viewer-caption').open")


def test_the_home_leads_with_a_large_picture(live_server, at):
    for n in range(5):
        make_slideshow(f"Story {n}", photos=[make_photo(width=1600, height=900)], days_ago=5 - n)
    page = at(1440, 900)
    page.goto(live_server.url + "/")
    lead, card = box(page, ".lead picture"), box(page, ".two-up picture")
    assert lead["width"] > 1.2 * card["width"] and lead["y"] < 200
    assert page.locator(".lead h2").inner_text() == "Story 4"


def test_headlines_are_set_in_the_shipped_font(live_server, at, show):
    page = at(390, 844)
    page.goto(live_server.url + show.get_absolute_url())
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily").startswith('"Source Serif 4"')
    assert page.evaluate("() => document.fonts.check('600 32px \"Source Serif 4\"')")
    loaded = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert loaded == ['"Source Serif 4"'] or loaded == ["Source Serif 4"]
