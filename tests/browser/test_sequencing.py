"""Sequencing a long slideshow in Chromium: move a photo to a position typed
in, and changes never lost silently on leaving the builder."""

import os

import pytest

from tests.factories import make_photo, make_slideshow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _captions(page) -> list[str]:
    return page.locator("#slides textarea").evaluate_all("areas => areas.map(a => a.value)")


def test_move_to_a_position_then_leaving_asks_first(desk, live_server):
    show = make_slideshow("Long", photos=[make_photo(f"Caption {n}.") for n in range(1, 13)], publish=False)
    desk.goto(f"{live_server.url}/desk/slideshows/{show.pk}/")
    desk.get_by_label("Move photo 12 to position").fill("2")
    desk.get_by_label("Move photo 12 to position").press("Enter")
    assert _captions(desk)[:3] == ["Caption 1.", "Caption 12.", "Caption 2."]
    assert "position 2 of 12" in desk.locator("#order-status").text_content()
    asked = []
    desk.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    desk.get_by_role("link", name="Preview").click()
    assert asked == ["beforeunload"] and desk.url.endswith(f"/desk/slideshows/{show.pk}/")
    desk.get_by_role("button", name="Save").first.click()
    desk.wait_for_url(f"**/desk/slideshows/{show.pk}/")
    order = [slide.photo.caption for slide in show.slides.select_related("photo")]
    assert order[:3] == ["Caption 1.", "Caption 12.", "Caption 2."] and asked == ["beforeunload"]
