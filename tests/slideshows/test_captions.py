"""The 250-character rule for caption plus credit line."""

import pytest

from picdesk.slideshows.captions import caption_view, caption_with_credit, cut_at_word

CREDIT = "AGENCY/Jane Doe"


def words(n_chars: int) -> str:
    """Text of exactly n_chars characters made of 4-letter words."""
    text = ("word " * (n_chars // 5 + 2))[:n_chars]
    return text[:-1] + "x" if text.endswith(" ") else text


def shown_text(view):
    return " ".join(s.text for s in view.shown)


def test_credit_follows_the_caption():
    assert caption_with_credit("Rain in Paris.", CREDIT) == ("Rain in Paris. AGENCY/Jane Doe", 15)


def test_credit_already_ending_the_caption_is_not_repeated():
    caption = "PARIS — Rain falls on the Seine. AGENCY/Jane Doe"
    text, _ = caption_with_credit(caption, CREDIT)
    assert text == caption
    view = caption_view(caption, CREDIT)
    assert view.full_text == caption
    assert view.full_text.count(CREDIT) == 1


def test_exactly_250_characters_shows_whole():
    caption = words(250 - len(CREDIT) - 1)
    view = caption_view(caption, CREDIT)
    assert len(view.full_text) == 250
    assert view.rest == []
    assert shown_text(view) == f"{caption} {CREDIT}"


def test_251_characters_cuts_at_a_word_boundary():
    caption = words(251 - len(CREDIT) - 1)
    view = caption_view(caption, CREDIT)
    assert view.rest, "the text over 250 characters hides its end behind ...more"
    shown = shown_text(view)
    assert len(shown) <= 250
    full = f"{caption} {CREDIT}"
    assert full.startswith(shown)
    assert full[len(shown)] == " "  # the cut falls on a word boundary
    assert view.full_text == full


def test_a_long_word_across_the_boundary_moves_wholly_behind_more():
    caption = "a" * 240 + " " + "Constantinople" + " and more words after it"
    view = caption_view(caption, "")
    assert shown_text(view) == "a" * 240
    assert view.rest[0].text.startswith("Constantinople")


def test_boundary_exactly_at_the_limit_keeps_250_characters():
    caption = "b" * 250 + " tail"
    assert cut_at_word(caption, 250) == 250


def test_credit_is_marked_wherever_it_falls():
    view = caption_view(words(245), CREDIT)
    credit_segments = [s.text for s in view.shown + view.rest if s.is_credit]
    assert " ".join(credit_segments).replace(" ", "") == CREDIT.replace(" ", "")
    assert all(not s.is_credit for s in view.shown)  # the credit lies past the cut


@pytest.mark.parametrize("limit", [10, 50, 250])
def test_limit_is_respected(limit):
    view = caption_view(words(400), CREDIT, limit=limit)
    assert len(shown_text(view)) <= limit


def test_limit_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("PICDESK_CAPTION_LIMIT", "20")
    assert len(shown_text(caption_view(words(100), ""))) <= 20


def test_no_caption_shows_the_credit_alone():
    view = caption_view("", CREDIT)
    assert [(s.text, s.is_credit) for s in view.shown] == [(CREDIT, True)]
