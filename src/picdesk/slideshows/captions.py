"""How a caption and its credit line are shown on reader pages.

The credit line (``CREDIT/By-line``) follows the caption and is never cut: it
is shown whole, apart from the caption, even when the caption already ends
with it, as agency captions often do. Caption and credit are shown whole when
together they fit the limit (250 characters by default); otherwise the caption
shows its longest prefix that ends at a word boundary and leaves room for the
credit within the limit, then ``...more``, which reveals the rest in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from picdesk.core.config import setting


@dataclass(frozen=True)
class CaptionView:
    shown: str  # the caption's start, always visible
    rest: str  # its end, behind "...more"; empty when everything fits
    credit: str  # always visible, whole

    @property
    def full_text(self) -> str:
        return " ".join(part for part in (self.shown, self.rest, self.credit) if part)


def split_credit(caption: str, credit_line: str) -> tuple[str, str]:
    """The caption without a credit line it already ends with, and the credit."""
    caption = caption.strip()
    if credit_line and caption.endswith(credit_line):
        caption = caption[: -len(credit_line)].rstrip()
    return caption, credit_line


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
    caption, credit = split_credit(caption, credit_line)
    room = limit - (len(credit) + 1 if credit else 0)
    if len(caption) <= room:
        return CaptionView(caption, "", credit)
    cut = cut_at_word(caption, room) if room > 0 else 0
    return CaptionView(caption[:cut].rstrip(), caption[cut:].strip(), credit)
