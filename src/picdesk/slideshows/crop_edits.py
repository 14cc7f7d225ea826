"""Crops editors choose: a box drawn for an aspect (16:9, 1:1, 1.91:1), or a
focal point every aspect without a box keeps (photos.crops).

The crops made before are discarded with their public copies, and since a
crop's address carries a digest of what places it (photos.storage_names),
pages, rails, link previews and embeds name new files the moment the change
is committed: no cache holds them. Saving the photo purges its pages
(slideshows.invalidation). The same rule as every metadata edit: a
contributor may not change a photo readers can see (LiveEditRefused).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role
from picdesk.photos.crops import Focus
from picdesk.photos.models import Photo
from picdesk.photos.renditions import discard_renditions
from picdesk.photos.spec import ASPECTS
from picdesk.slideshows.metadata_edits import check_may_edit
from picdesk.slideshows.models import Slideshow


SLACK = 0.01  # a pixel in a hundred


class BadCrop(ValueError):
    """A box or point outside the photo, or an aspect that does not exist."""


def _fraction(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadCrop(f"{name} must be a number from 0 to 1") from None
    if not 0 <= number <= 1:
        raise BadCrop(f"{name} must be from 0 to 1, not {number}")
    return round(number, 4)


def checked_box(photo: Photo, aspect: str, box: dict) -> dict:
    """A box as fractions of the photo, its height following from its width
    and the aspect: inside the photo, not empty."""
    x, y, w = (_fraction(box.get(name), name) for name in "xyw")
    ratio_w, ratio_h = ASPECTS[aspect]
    h = round(w * photo.width * ratio_h / ratio_w / photo.height, 4)
    # A box the whole height of the photo may come out a pixel over it from
    # rounding; photos.crops holds it inside.
    if w <= 0 or x + w > 1 + SLACK or y + h > 1 + SLACK:
        raise BadCrop("the box must lie inside the photo and not be empty")
    return {"x": x, "y": y, "w": w, "h": min(h, 1.0)}


@transaction.atomic
def choose_crop(photo: Photo, aspect: str, box: dict | None, *, by: Actor | None = None) -> None:
    """Crop ``aspect`` renditions of ``photo`` to ``box`` (None: back to the focus)."""
    require_role(by, "contributor")
    if aspect not in ASPECTS:
        raise BadCrop(f"no aspect “{aspect}”: there are {', '.join(ASPECTS)}")
    chosen = checked_box(photo, aspect, box) if box is not None else None
    if photo.crop_boxes.get(aspect) == chosen:
        return
    check_may_edit(photo, by)
    discard_renditions(photo, crops_only=[aspect])
    boxes = {**photo.crop_boxes, aspect: chosen} if chosen else {
        name: value for name, value in photo.crop_boxes.items() if name != aspect}
    photo.crop_boxes = boxes
    _save(photo, "crop_boxes", by, f"{aspect} crop " + ("chosen" if chosen else "back to the focus"))


@transaction.atomic
def choose_focus(photo: Photo, point: tuple[float, float] | None, *, by: Actor | None = None) -> None:
    """Hold every crop without a box on ``point`` (None: found again, from faces or attention)."""
    require_role(by, "contributor")
    focus = Focus(_fraction(point[0], "x"), _fraction(point[1], "y"), 0.0, 0.0, "editor").as_dict() if point else None
    if focus == photo.focus or focus is None and photo.focus and photo.focus.get("source") != "editor":
        return
    check_may_edit(photo, by)
    discard_renditions(photo, crops_only=[aspect for aspect in ASPECTS if aspect not in photo.crop_boxes])
    photo.focus = focus
    _save(photo, "focus", by, "focal point " + (f"set at {focus['x']:.2f}, {focus['y']:.2f}" if focus else "found again"))


def _save(photo: Photo, field: str, by: Actor | None, detail: str) -> None:
    photo.save(update_fields=[field])
    # The pages that show it have changed: their ETags and sitemaps must say so.
    Slideshow.objects.filter(slides__photo=photo).update(updated_at=timezone.now())
    record(by, "cropped", photo=photo, detail=detail)
