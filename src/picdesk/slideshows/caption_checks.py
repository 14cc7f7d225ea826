"""The caption checker: what a picture editor wants flagged before publishing.

Warnings, not errors: the editor decides. Each names the photo (its number in
the slideshow) and what is wrong:

- no credit or no by-line (the credit line would be incomplete);
- a caption without a date, or without a place (wire style puts both in the
  first sentence: "KYIV, Ukraine - ... on Nov. 26, 2026.");
- usage terms that restrict use (IPTC Rights Usage Terms / IIM 2:40
  Special Instructions, e.g. "EDITORIAL USE ONLY", "NO ARCHIVES");
- the same photographer credited to different agencies across the slideshow,
  or one name spelled two ways;
- Content Credentials that do not verify, or signed by an unknown signer;
- a picture that is AI-generated or a composite (readers will see it labelled).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from picdesk.photos import provenance
from picdesk.slideshows.models import Slide

MONTHS = (
    r"jan(uary|\.)?|feb(ruary|\.)?|mar(ch|\.)?|apr(il|\.)?|may|june?|july?|aug(ust|\.)?"
    r"|sep(t|tember|t\.|\.)?|oct(ober|\.)?|nov(ember|\.)?|dec(ember|\.)?"
)
DATE = re.compile(
    rf"\b({MONTHS})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+({MONTHS})\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
# A wire dateline: a place in capitals before the first comma or dash.
DATELINE = re.compile(r"^[A-Z][A-Z .'\-]{2,}[,(\-–—]")
RESTRICTIONS = re.compile(
    r"editorial use only|no archiv|no sales|no resales|no (third|3rd)[- ]party|mandatory credit"
    r"|no (mags|magazines|books)|no (tv|television)|\b(mags|magazines|tv|internet|online) out\b"
    r"|embargo|not for use|restricted",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CaptionWarning:
    number: int | None  # the photo's number in the slideshow; None: the whole slideshow
    message: str

    def __str__(self) -> str:
        return f"Photo {self.number}: {self.message}" if self.number else self.message


def check_slides(slides: list[Slide]) -> list[CaptionWarning]:
    """Warnings for ``slides`` (in order, photos loaded)."""
    warnings = []
    for number, slide in enumerate(slides, 1):
        warnings += [CaptionWarning(number, message) for message in _slide_problems(slide)]
    return warnings + _inconsistencies(slides)


def _slide_problems(slide: Slide) -> list[str]:
    photo, caption = slide.photo, slide.display_caption
    problems = []
    if not photo.credit:
        problems.append("no credit")
    if not photo.byline:
        problems.append("no by-line")
    if not caption.strip():
        problems.append("no caption")
    else:
        if not DATE.search(caption):
            problems.append("the caption gives no date")
        if not (DATELINE.match(caption) or _names_place(photo, caption)):
            problems.append("the caption gives no place")
    for terms in (photo.usage_terms, photo.instructions):
        if terms and RESTRICTIONS.search(terms):
            problems.append(f"restricted use: {terms.strip()[:200]}")
    return problems + _provenance_problems(photo)


def _provenance_problems(photo) -> list[str]:
    problems = []
    credentials = photo.content_credentials
    if credentials.state == provenance.INVALID:
        problems.append("its Content Credentials do not verify: " + "; ".join(credentials.problems)[:300])
    elif credentials.state == provenance.UNTRUSTED:
        problems.append(f"its Content Credentials are signed by {credentials.signer or 'an unknown signer'}, "
                        "who is not among the trusted signers")
    if photo.source_label:
        problems.append(f"{photo.source_label} (Digital Source Type): readers will see it labelled")
    return problems


def _names_place(photo, caption: str) -> bool:
    places = [photo.sublocation, photo.city, photo.state, photo.country]
    return any(place and place.lower() in caption.lower() for place in places)


def _inconsistencies(slides: list[Slide]) -> list[CaptionWarning]:
    credits_by_name = defaultdict(set)
    spellings = defaultdict(set)
    for slide in slides:
        if slide.photo.byline:
            credits_by_name[_key(slide.photo.byline)].add(slide.photo.credit)
            spellings[_key(slide.photo.byline)].add(slide.photo.byline)
    warnings = [
        CaptionWarning(None, f"by-line {' / '.join(sorted(names))} is spelled differently across photos")
        for names in spellings.values() if len(names) > 1
    ]
    for key, credits in credits_by_name.items():
        if len(credits) > 1:
            name = sorted(spellings[key])[0]
            warnings.append(CaptionWarning(None, f"{name} is credited to {', '.join(sorted(c or '(none)' for c in credits))}"))
    return warnings


def _key(name: str) -> str:
    return " ".join(name.lower().split())
