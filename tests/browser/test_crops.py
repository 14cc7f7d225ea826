"""Setting a crop in Chromium, by keyboard on the crop's numbers and by
dragging its box, and seeing it on the reader's home page."""

import os

import pytest
import pyvips

from picdesk.photos.ingest import ingest_bytes
from tests.factories import make_slideshow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _left_red_right_blue() -> bytes:
    x = pyvips.Image.xyz(800, 200)[0]
    image = (x > 399).ifthenelse([0, 0, 255], [255, 0, 0]).cast("uchar").copy(interpretation="srgb")
    return image.jpegsave_buffer(Q=95)


def _cover_colour(page, base: str) -> str:
    page.goto(base + "/")
    src = page.locator("main img").first.evaluate("img => img.currentSrc")
    body = page.request.get(src).body()
    image = pyvips.Image.new_from_buffer(body, "")
    red, blue = image[0].avg(), image[2].avg()
    return "red" if red > 200 > 60 > blue else "blue" if blue > 200 > 60 > red else f"mixed {red:.0f}/{blue:.0f}"


def test_a_crop_set_from_the_keyboard_is_on_the_home_page_at_once(desk, live_server):
    photo = ingest_bytes(_left_red_right_blue(), "halves.jpg").photo
    photo.focus = {"x": 0.0, "y": 0.5, "w": 0.0, "h": 0.0, "source": "editor"}
    photo.save()
    make_slideshow("Halves", photos=[photo])
    assert _cover_colour(desk, live_server.url) == "red"
    desk.goto(f"{live_server.url}/desk/photos/{photo.pk}/")
    left = desk.get_by_label("Left").first  # the 16:9 crop's, the first form
    left.focus()
    desk.keyboard.press("Control+a")
    desk.keyboard.type("0.55")
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"**/desk/photos/{photo.pk}/#crops")
    assert "16:9 crop is saved" in desk.inner_text(".messages")
    assert _cover_colour(desk, live_server.url) == "blue"


def test_dragging_the_box_fills_in_its_numbers(desk, live_server):
    photo = ingest_bytes(_left_red_right_blue(), "halves.jpg").photo
    desk.goto(f"{live_server.url}/desk/photos/{photo.pk}/")
    box = desk.locator(".crop-box")
    box.wait_for()
    start = float(desk.locator("#crop-16x9-x").input_value())
    area = box.bounding_box()
    desk.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    desk.mouse.down()
    desk.mouse.move(area["x"] + area["width"] / 2 + 2000, area["y"] + area["height"] / 2, steps=5)
    desk.mouse.up()
    moved = float(desk.locator("#crop-16x9-x").input_value())
    assert start < moved and abs(moved - (1 - float(desk.locator("#crop-16x9-w").input_value()))) < 0.001
    desk.get_by_label("Focal point").check()
    image = desk.locator("#crop-image").bounding_box()
    desk.mouse.click(image["x"] + image["width"] * 0.25, image["y"] + image["height"] * 0.75)
    assert abs(float(desk.locator("#focus-x").input_value()) - 0.25) < 0.02
    assert abs(float(desk.locator("#focus-y").input_value()) - 0.75) < 0.02
