"""How a caption and its credit line are shown on the slideshow page.

The caption is followed by the credit line (``CREDIT/By-line``) unless the
caption already ends with it, as agency captions often do. That text is shown
whole when it fits the limit (250 characters by default); otherwise the page
shows its longest prefix within the limit that ends at a word boundary, then
``...more``, which reveals the rest in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from picdesk.core.config import setting


@dataclass(frozen=True)
class Segment:
    text: str
    is_credit: bool


@dataclass(frozen=True)
class CaptionView:
    shown: list[Segment]  # always visible
    rest: list[Segment]  # behind "...more"; empty when the whole text fits

    @property
    def full_text(self) -> str:
        return " ".join(s.text for s in self.shown + self.rest)


def caption_with_credit(caption: str, credit_line: str) -> tuple[str, int]:
    """The text to show, and where the credit line starts in it (its length when
    the credit is not appended)."""
    caption = caption.strip()
    if not credit_line or caption.endswith(credit_line):
        return caption, len(caption)
    if not caption:
        return credit_line, 0
    return f"{caption} {credit_line}", len(caption) + 1


def cut_at_word(text: str, limit: int) -> int:
    """Length of the longest prefix of ``text`` of at most ``limit`` characters
    ending at a word boundary (a word is never split). A first word longer than
    the limit is cut at the limit: showing nothing would be worse."""
    if len(text) <= limit:
        return len(text)
    cut = limit
    while cut > 0 and not text[cut].isspace():
        cut -= 1
    prefix_end = len(text[:cut].rstrip())
    return prefix_end or limit


def caption_view(caption: str, credit_line: str, limit: int | None = None) -> CaptionView:
    limit = setting("PICDESK_CAPTION_LIMIT") if limit is None else limit
    text, credit_start = caption_with_credit(caption, credit_line)
    cut = cut_at_word(text, limit)
    return CaptionView(
        shown=_segments(text, 0, cut, credit_start),
        rest=_segments(text, cut, len(text), credit_start),
    )


def _segments(text: str, start: int, end: int, credit_start: int) -> list[Segment]:
    pieces = [
        Segment(text[start : min(end, credit_start)].strip(), False),
        Segment(text[max(start, credit_start) : end].strip(), True),
    ]
    return [p for p in pieces if p.text]
