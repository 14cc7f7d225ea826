"""Captioning at speed in Chromium: a code typed in a desk field becomes its text at once."""

import os

import pytest

from picdesk.photos.codes import load_codes, read_code_file
from tests.factories import make_photo
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_code_typed_in_the_caption_becomes_its_text(desk, live_server):
    load_codes(read_code_file("ab1\tAna Beltrán (ESP)\nrg\tRoland Garros, Paris\n"))
    photo = make_photo("Old caption.")
    desk.goto(f"{live_server.url}/desk/photos/{photo.pk}/")
    caption = desk.locator("#id_caption")
    caption.fill("")
    caption.press_sequentially("=ab1= serves at \\rg\\")
    wait_for(lambda: "Paris" in caption.input_value(), "the second code expanded")
    assert caption.input_value() == "Ana Beltrán (ESP) serves at Roland Garros, Paris"
    desk.get_by_role("button", name="Save metadata").focus()  # the keyboard alone, as an editor on deadline
    desk.keyboard.press("Enter")
    desk.locator(".messages", has_text="Saved").wait_for()
    photo.refresh_from_db()
    assert photo.caption == "Ana Beltrán (ESP) serves at Roland Garros, Paris"


def test_a_template_applied_from_the_keyboard_with_its_preview(desk, live_server):
    from picdesk.slideshows.stationery import MetadataTemplate

    MetadataTemplate.objects.create(name="Lyon marathon", fields={
        "caption": {"mode": "append", "text": " ({sequence}) =ly="},
        "credit": {"mode": "replace", "text": "STAFF"}})
    load_codes(read_code_file("ly\tLyon, France\n"))
    photos = [make_photo(f"Runner {n}.") for n in range(2)]
    desk.reload()
    desk.keyboard.press("s")  # select the newest, then the next
    desk.keyboard.press("Shift+ArrowRight")
    desk.get_by_role("button", name="Bulk edit").focus()
    desk.keyboard.press("Enter")
    desk.get_by_label("Metadata template").select_option(label="Lyon marathon")
    desk.get_by_role("button", name="Preview changes").focus()
    desk.keyboard.press("Enter")
    preview = desk.locator("table.changes")
    preview.wait_for()
    assert "Runner 0. (1) Lyon, France" in preview.inner_text()
    desk.get_by_role("button", name="Apply 4 changes").focus()
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"{live_server.url}/desk/")  # back to the sheet it came from
    for photo in photos:
        photo.refresh_from_db()
    assert sorted(p.caption for p in photos) == ["Runner 0. (1) Lyon, France", "Runner 1. (2) Lyon, France"]
    assert {p.credit for p in photos} == {"STAFF"}
