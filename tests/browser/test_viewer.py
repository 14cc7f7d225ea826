"""The full-screen viewer in Chromium: keyboard, address, focus, and the
server-rendered photo pages it falls back to."""

import os

import pytest

from tests.factories import make_photo, make_slideshow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def show():
    photos = [
        make_photo(f"Caption of photo {n}.", headline=f"Photo {n}", width=1200, height=800)
        for n in (1, 2, 3)
    ]
    return make_slideshow("Three photos", photos=photos)


def state(page):
    return page.evaluate(
        """() => ({
            open: document.getElementById('viewer').open,
            counter: document.querySelector('.viewer-counter').textContent,
            caption: document.querySelector('.viewer-caption-text').textContent,
            path: location.pathname,
            focusInside: document.getElementById('viewer').contains(document.activeElement),
        })"""
    )


def test_viewer_opens_moves_and_closes(live_server, page, show):
    base = show.get_absolute_url()
    page.goto(live_server.url + base)
    opener = page.locator("a.open-viewer").nth(1)
    opener.click()
    now = state(page)
    assert now["open"] and now["counter"] == "2 of 3" and now["path"] == f"{base}2/"
    assert now["caption"].startswith("Caption of photo 2.") and now["focusInside"]

    page.keyboard.press("ArrowRight")
    assert (state(page)["counter"], state(page)["path"]) == ("3 of 3", f"{base}3/")
    page.keyboard.press("Home")
    assert state(page)["counter"] == "1 of 3"
    page.keyboard.press("End")
    assert state(page)["counter"] == "3 of 3"
    page.locator(".viewer-previous").click()
    assert state(page)["counter"] == "2 of 3"

    page.keyboard.press("Escape")
    # The dialog's close event, which restores the address and focus, is async.
    page.wait_for_function(f"() => location.pathname === '{base}'")
    now = state(page)
    assert not now["open"] and now["path"] == base
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('a.open-viewer')[1]")


def test_reload_on_a_photo_address_shows_that_photo(live_server, page, show):
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").nth(2).click()
    page.reload()
    assert page.locator("h1").inner_text() == "Photo 3"
    assert page.locator(".pager .counter").inner_text() == "3 of 3"


def test_back_button_closes_the_viewer(live_server, page, show):
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()
    assert state(page)["open"]
    page.go_back()
    page.wait_for_function("() => !document.getElementById('viewer').open")
    assert state(page)["path"] == show.get_absolute_url()


def test_without_javascript_photos_link_to_their_pages(live_server, browser, show):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").nth(1).click()
    page.wait_for_url(f"**{show.get_absolute_url()}2/")
    assert page.locator("h1").inner_text() == "Photo 2"
    context.close()


def test_copy_link_puts_the_photo_address_on_the_clipboard(live_server, browser, show):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{live_server.url}{show.get_absolute_url()}2/")
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{live_server.url}{show.get_absolute_url()}2/"
    context.close()


def test_double_click_zooms_into_the_largest_rendition(live_server, page, show):
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()
    stage = page.locator(".viewer-stage")
    stage.dblclick()
    assert "zoomed" in stage.get_attribute("class")
    assert stage.locator("img").get_attribute("sizes") == "200vw"
    stage.dblclick()
    assert "zoomed" not in stage.get_attribute("class")


def test_caption_sits_below_the_photo_never_over_it(live_server, page, show):
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()
    page.wait_for_function("() => document.querySelector('.viewer-stage img').complete")
    photo = page.locator(".viewer-stage img").bounding_box()
    caption = page.locator(".viewer-caption").bounding_box()
    assert photo["y"] + photo["height"] <= caption["y"] + 1


def test_a_swipe_moves_to_the_next_photo(live_server, browser, show):
    context = browser.new_context(has_touch=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").first.click()
    box = page.locator(".viewer-stage").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 300, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, y, steps=5)
    page.mouse.up()
    assert state(page)["counter"] == "2 of 3"
    context.close()


def test_the_focus_stays_in_the_viewer_when_its_button_is_disabled(live_server, page, show):
    page.goto(live_server.url + show.get_absolute_url())
    page.locator("a.open-viewer").nth(1).click()
    page.locator(".viewer-next").focus()
    page.keyboard.press("Enter")  # to the last photo: "Next photo" is disabled under the focus
    assert state(page)["counter"] == "3 of 3" and state(page)["focusInside"]
    page.keyboard.press("Home")
    assert state(page)["counter"] == "1 of 3"
