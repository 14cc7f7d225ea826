"""The 250-character rule for caption plus credit line, which is never cut."""

import pytest

from picdesk.slideshows.captions import caption_view, cut_at_word, split_credit

CREDIT = "AGENCY/Jane Doe"


def words(n_chars: int) -> str:
    """Text of exactly n_chars characters made of 4-letter words."""
    text = ("word " * (n_chars // 5 + 2))[:n_chars]
    return text[:-1] + "x" if text.endswith(" ") else text


def visible(view) -> str:
    """What a reader sees before opening "...more"."""
    return " ".join(part for part in (view.shown, view.credit) if part)


def test_credit_follows_the_caption():
    view = caption_view("Rain in Paris.", CREDIT)
    assert (view.shown, view.rest, view.credit) == ("Rain in Paris.", "", CREDIT)
    assert view.full_text == "Rain in Paris. AGENCY/Jane Doe"


def test_credit_already_ending_the_caption_is_not_repeated():
    caption = "PARIS — Rain falls on the Seine. AGENCY/Jane Doe"
    assert split_credit(caption, CREDIT) == ("PARIS — Rain falls on the Seine.", CREDIT)
    view = caption_view(caption, CREDIT)
    assert view.full_text == caption
    assert view.full_text.count(CREDIT) == 1


def test_exactly_250_characters_shows_whole():
    caption = words(250 - len(CREDIT) - 1)
    view = caption_view(caption, CREDIT)
    assert len(view.full_text) == 250
    assert view.rest == ""
    assert visible(view) == f"{caption} {CREDIT}"


def test_251_characters_cuts_the_caption_at_a_word_boundary():
    caption = words(251 - len(CREDIT) - 1)
    view = caption_view(caption, CREDIT)
    assert view.rest, "the text over 250 characters hides the caption's end behind ...more"
    assert len(visible(view)) <= 250
    assert caption.startswith(view.shown)
    assert caption[len(view.shown)] == " "  # the cut falls on a word boundary
    assert view.full_text == f"{caption} {CREDIT}"


@pytest.mark.parametrize("caption_length", range(200, 260, 3))
def test_the_credit_is_never_cut_wherever_the_limit_falls(caption_length):
    """The bug readers saw: "Picdesk Wire/B. Navez and ...more"."""
    credit = "Picdesk Wire/B. Navez and A. Long-Surname"
    view = caption_view(words(caption_length), credit)
    assert view.credit == credit
    assert len(visible(view)) <= 250
    assert view.full_text == f"{words(caption_length)} {credit}"


def test_a_caption_ending_with_its_credit_still_keeps_the_credit_whole():
    caption = words(240) + " " + CREDIT
    view = caption_view(caption, CREDIT)
    assert view.credit == CREDIT
    assert CREDIT not in view.shown + view.rest


def test_a_long_word_across_the_boundary_moves_wholly_behind_more():
    caption = "a" * 240 + " " + "Constantinople" + " and more words after it"
    view = caption_view(caption, "")
    assert view.shown == "a" * 240
    assert view.rest.startswith("Constantinople")


def test_boundary_exactly_at_the_limit_keeps_250_characters():
    caption = "b" * 250 + " tail"
    assert cut_at_word(caption, 250) == 250


@pytest.mark.parametrize("limit", [20, 50, 250])
def test_limit_is_respected(limit):
    view = caption_view(words(400), CREDIT, limit=limit)
    assert len(visible(view)) <= limit
    assert view.credit == CREDIT


def test_a_credit_longer_than_the_limit_is_shown_whole_and_the_caption_waits_behind_more():
    view = caption_view(words(100), CREDIT, limit=10)
    assert (view.shown, view.credit) == ("", CREDIT)
    assert view.rest == words(100)


def test_limit_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("PICDESK_CAPTION_LIMIT", "20")
    assert len(caption_view(words(100), "").shown) <= 20


def test_no_caption_shows_the_credit_alone():
    view = caption_view("", CREDIT)
    assert (view.shown, view.rest, view.credit) == ("", "", CREDIT)
