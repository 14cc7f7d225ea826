"""The caption checker: what a picture editor wants flagged before publishing.

Warnings, not errors: the editor decides. Each names the photo (its number in
the slideshow) and what is wrong:

- no credit or no by-line (the credit line would be incomplete);
- a caption without a date, or without a place (wire style puts both in the
  first sentence: "KYIV, Ukraine - ... on Nov. 26, 2026.");
- what its rights say (photos.rights): a restriction phrase in its usage
  terms or Special Instructions ("EDITORIAL USE ONLY", "NOT FOR
  PUBLICATION"), or a rights lease that forbids use; those that block
  publication, or need an editor's confirmation, say so (the publication
  itself is refused by slideshows.rights_gate);
- the same photographer credited to different agencies across the slideshow,
  or one name spelled two ways;
- Content Credentials that do not verify, or signed by an unknown signer;
- a picture that is AI-generated or a composite (readers will see it labelled);
- a headline that is a file name ("IMG_4021.JPG", "corpus__DSC_0042");
- a name spelled close to, but not as, one in the desk's dictionary
  (slideshows.names).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from picdesk.photos import provenance
from picdesk.photos.headlines import looks_like_file_name
from picdesk.photos.rights import BLOCK, CONFIRM, WARN, restrictions_by_photo
from picdesk.slideshows.models import Slide
from picdesk.slideshows.names import NameChecker

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
# How the checker says what each action of a restriction means.
RESTRICTION_SAYS = {BLOCK: "may not be published", CONFIRM: "needs an editor's confirmation to publish",
                    WARN: "restricted use"}


@dataclass(frozen=True)
class CaptionWarning:
    number: int | None  # the photo's number in the slideshow; None: the whole slideshow
    message: str
    slide_id: int | None = None  # the slide it is about, for the builder to link to

    def __str__(self) -> str:
        return f"Photo {self.number}: {self.message}" if self.number else self.message


def check_slides(slides: list[Slide]) -> list[CaptionWarning]:
    """Warnings for ``slides`` (in order, photos loaded)."""
    warnings, names = [], NameChecker()
    rights = restrictions_by_photo([slide.photo for slide in slides])
    for number, slide in enumerate(slides, 1):
        problems = _slide_problems(slide) + [
            f"{RESTRICTION_SAYS[r.action]}: {r.reason}" for r in rights.get(slide.photo_id, [])] + [f"“{word}”: is it “{name}”, as the desk's names spell it?"
                                             for word, name in names.misspelled(slide.display_caption)]
        warnings += [CaptionWarning(number, message, slide.pk) for message in problems]
    return warnings + _inconsistencies(slides)


def _slide_problems(slide: Slide) -> list[str]:
    photo, caption = slide.photo, slide.display_caption
    problems = []
    if photo.headline and looks_like_file_name(photo.headline):
        problems.append(f"the headline looks like a file name: “{photo.headline.strip()[:80]}”")
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
