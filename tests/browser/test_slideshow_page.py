"""A reader in Chromium opens a slideshow and reads a long caption in full."""

import os

import pytest

from tests.factories import make_photo, make_slideshow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; Django's ORM then
# refuses to run unless told this is intended (the test itself is synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LONG_CAPTION = (
    "KYIV, Ukraine — Rescuers search the rubble of a residential building after an overnight "
    "strike, Nov. 26, 2026. Residents said the blast shattered windows across the block, and "
    "volunteers handed out tea and blankets as crews worked through the morning to reach people "
    "trapped on the upper floors of the building."
)


def test_more_reveals_the_whole_caption_in_place(live_server, page):
    show = make_slideshow("Strike on Kyiv", photos=[make_photo(LONG_CAPTION, width=1200, height=800)])
    page.goto(live_server.url + show.get_absolute_url())

    caption = page.locator("figcaption").first
    more = caption.get_by_text("...more", exact=True)
    ending = caption.get_by_text("trapped on the upper floors", exact=False)
    assert more.is_visible()
    assert not ending.is_visible()

    more.click()
    assert ending.is_visible()
    assert not more.is_visible()
    text = " ".join(caption.inner_text().split())
    assert LONG_CAPTION in text
    assert text.endswith("AGENCY/Jane Doe")


def test_first_photo_loads_and_has_no_layout_shift(live_server, page):
    show = make_slideshow("Shapes", photos=[make_photo("One.", width=1200, height=800)])
    page.goto(live_server.url + show.get_absolute_url())
    img = page.locator("figure img").first
    img.wait_for()
    page.wait_for_function("() => document.querySelector('figure img').complete")
    assert page.evaluate("() => document.querySelector('figure img').naturalWidth") > 0
    box = img.bounding_box()
    assert abs(box["width"] / box["height"] - 1.5) < 0.02


PAYLOADS = {
    "headline": "<script>window.pwned = 'headline'</script>",
    "caption": "\"><img src=x onerror=\"window.pwned='caption'\"> <svg onload=window.pwned='svg'>",
    "byline": "javascript:window.pwned='byline'",
    "credit": "</script><script>window.pwned='credit'</script>",
}


def test_hostile_metadata_runs_no_script(live_server, page):
    photo = make_photo(PAYLOADS["caption"], headline=PAYLOADS["headline"], byline=PAYLOADS["byline"],
                       credit=PAYLOADS["credit"], width=600, height=400)
    show = make_slideshow("Hostile", photos=[photo])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in (show.get_absolute_url(), f"{show.get_absolute_url()}1/", "/search/?q=pwned",
                f"/embed/{show.slug}/", "/"):
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.pwned") is None, url
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()  # the viewer copies caption text into the page
    assert page.evaluate("() => window.pwned") is None
    assert dialogs == []


def test_a_small_photo_is_never_stretched_past_its_own_width(live_server, browser):
    """A 512 px photo in a 960 px column stays 512 px wide; a large one fills the column."""
    show = make_slideshow("Sizes", photos=[make_photo("Small.", width=512, height=384),
                                           make_photo("Large.", width=2400, height=1600)])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + show.get_absolute_url())
    widths = page.eval_on_selector_all(".slides img", "imgs => imgs.map(i => i.getBoundingClientRect().width)")
    context.close()
    assert widths[0] == 512 and widths[1] > 900
