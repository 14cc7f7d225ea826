"""Culling a take in Chromium with the keyboard alone: move, rate, reject,
colour-class a range, preview in the loupe, compare, list the keys; the
sheet's density at the smallest size; axe on the sheet and its overlays in
both desk themes."""

import os

import pytest

from picdesk.photos.models import Photo
from tests.browser.test_accessibility import _violations
from tests.factories import make_photo
from tests.pages import node_tool
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _said(page, text: str) -> None:
    page.locator("#cull-status").filter(has_text=text).wait_for(state="attached")


def _marks() -> list[tuple[int, int, int]]:
    return list(Photo.objects.order_by("-pk").values_list("rating", "color_class", "pick"))


def test_a_take_is_culled_with_the_keyboard_alone(desk, live_server):
    for n in range(8):
        make_photo(f"Frame {n} of the take.", headline=f"Frame {n}")
    desk.reload()
    # Rate or reject each frame and move on: one key per frame, plus the arrow.
    for key in ["5", "x", "3", "x", "4", "1", "x", "2"]:
        desk.keyboard.press(key)
        desk.keyboard.press("ArrowRight")
    culled = [(5, 0), (0, -1), (3, 0), (0, -1), (4, 0), (1, 0), (0, -1), (2, 0)]
    wait_for(lambda: [(rating, pick) for rating, _, pick in _marks()] == culled, "the take's marks saved")
    # Back to the first, extend the selection over three frames, class them "Winner".
    desk.keyboard.press("Home")
    for _ in range(7):
        desk.keyboard.press("ArrowLeft")
    for _ in range(2):
        desk.keyboard.press("Shift+ArrowRight")
    desk.keyboard.press("6")
    wait_for(lambda: [cls for _, cls, _ in _marks()] == [1, 1, 1, 0, 0, 0, 0, 0], "three frames classed")
    # X again on a rejected frame takes the reject back.
    desk.keyboard.press("ArrowRight")  # the fourth frame, rejected
    desk.keyboard.press("x")
    wait_for(lambda: _marks()[3][2] == 0, "the reject taken back")
    _said(desk, "unmarked")


def test_space_and_enter_on_a_control_are_the_controls(desk, live_server):
    """The culling keys must not take over the page's own controls: a
    button pressed with space, a fold opened with Enter."""
    for n in range(2):
        make_photo(f"Frame {n}.", headline=f"Frame {n}")
    desk.reload()
    address = desk.url
    desk.locator("#show-keys").focus()
    desk.keyboard.press(" ")
    desk.locator("#keys").wait_for(state="visible")
    assert not desk.locator("#loupe").is_visible()
    desk.keyboard.press("Escape")
    desk.set_viewport_size({"width": 390, "height": 844})  # where the filters fold away
    desk.reload()
    fold = desk.locator("details.fold").first
    assert not fold.evaluate("fold => fold.open")
    fold.locator("summary").focus()
    desk.keyboard.press("Enter")
    wait_for(lambda: fold.evaluate("fold => fold.open"), "Enter on the fold's summary never opened it")
    assert desk.url == address
    # On a frame, the same keys are the sheet's again: space previews, Enter opens.
    desk.locator(".card").first.focus()
    desk.keyboard.press(" ")
    desk.locator("#loupe").wait_for(state="visible")
    desk.keyboard.press("Escape")
    newest = Photo.objects.order_by("-pk").first()
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"{live_server.url}/desk/photos/{newest.pk}/")


def test_shift_click_selects_the_range_between_two_frames(desk, live_server):
    photos = [make_photo(f"Frame {n}.") for n in range(5)]
    desk.reload()
    boxes = desk.locator("input[name=photo]")
    boxes.nth(0).click()
    boxes.nth(3).click(modifiers=["Shift"])
    chosen = [int(value) for value in desk.eval_on_selector_all(
        "input[name=photo]:checked", "boxes => boxes.map(box => box.value)")]
    assert chosen == [photo.pk for photo in reversed(photos)][:4]


def test_loupe_compare_and_keys_open_from_the_keyboard(desk, live_server):
    for n in range(4):
        make_photo(f"Frame {n}.", headline=f"Frame {n}", width=2400, height=1600)
    desk.reload()
    desk.keyboard.press("ArrowRight")
    desk.keyboard.press(" ")
    loupe = desk.locator("#loupe")
    loupe.wait_for(state="visible")
    newest = Photo.objects.order_by("-pk")[1]
    assert newest.public_key in loupe.locator("img").get_attribute("src")
    assert loupe.locator("img").get_attribute("src").endswith("/1600.jpg")
    assert "Frame 2." in loupe.inner_text()
    desk.keyboard.press("ArrowRight")  # the loupe follows the frame
    desk.locator("#loupe figcaption", has_text="Frame 1.").wait_for()
    desk.keyboard.press("Escape")
    loupe.wait_for(state="hidden")
    desk.keyboard.press("s")
    desk.keyboard.press("Shift+ArrowLeft")
    desk.keyboard.press("Shift+ArrowLeft")
    desk.keyboard.press("c")
    desk.locator("#compare").wait_for(state="visible")
    assert desk.locator("#compare figure").count() == 3
    desk.keyboard.press("Escape")
    desk.keyboard.press("?")
    desk.locator("#keys").wait_for(state="visible")
    assert "Pick / reject" in desk.locator("#keys").inner_text()


def test_forty_thumbnails_fit_a_laptop_screen_at_the_smallest_size(desk, live_server):
    for n in range(60):
        make_photo(f"Frame {n}.")
    desk.reload()
    desk.locator("#thumb-size").fill("6")
    on_screen = desk.evaluate("""() => Array.from(document.querySelectorAll('.card img')).filter(img => {
        const box = img.getBoundingClientRect();
        return box.width > 0 && box.top >= 0 && box.bottom <= innerHeight; }).length""")
    assert on_screen >= 40


@pytest.mark.parametrize("theme", ["grey", "light"])
def test_the_sheet_and_its_overlays_have_no_violations(desk, live_server, theme):
    axe_source = node_tool("axe-core/axe.min.js").read_text()
    for n in range(3):
        make_photo(f"Frame {n}.", headline=f"Frame {n}")
    desk.reload()
    if theme == "light":
        desk.get_by_role("button", name="Light theme").click()
        desk.wait_for_selector("html[data-theme=light]")
    desk.keyboard.press("3")
    desk.keyboard.press("6")
    wait_for(lambda: _marks()[0][:2] == (3, 1), "the first frame marked")
    found = {"sheet": _violations(desk, axe_source)}
    desk.keyboard.press(" ")
    desk.locator("#loupe").wait_for(state="visible")
    found["loupe"] = _violations(desk, axe_source)
    desk.keyboard.press("Escape")
    desk.keyboard.press("s")
    desk.keyboard.press("Shift+ArrowRight")
    desk.keyboard.press("c")
    desk.locator("#compare").wait_for(state="visible")
    found["compare"] = _violations(desk, axe_source)
    desk.keyboard.press("Escape")
    desk.keyboard.press("?")
    desk.locator("#keys").wait_for(state="visible")
    found["keys"] = _violations(desk, axe_source)
    assert found == {"sheet": [], "loupe": [], "compare": [], "keys": []}
