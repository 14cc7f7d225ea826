"""Whether a picture is already published: the photo itself or one of its
near copies (photos.near_copies) in a live slideshow. What the contact sheet
and the builder flag, in two indexed queries whatever the archive's size."""

from __future__ import annotations

from dataclasses import dataclass

from picdesk.photos.near_copies import NearCopy
from picdesk.slideshows.models import Slide, Slideshow


@dataclass(frozen=True)
class Published:
    slideshow: Slideshow
    near: bool  # a near copy is published, not the photo itself


def published_where(photo_ids, exclude_slideshow: Slideshow | None = None) -> dict[int, Published]:
    """For each of ``photo_ids`` that is, or has a near copy, in a live
    slideshow (other than ``exclude_slideshow``): the newest such slideshow."""
    live = Slideshow.objects.live()
    if exclude_slideshow is not None:
        live = live.exclude(pk=exclude_slideshow.pk)
    photo_ids = list(photo_ids)
    itself = (Slide.objects.filter(photo_id__in=photo_ids, slideshow__in=live)
              .values_list("photo_id", "slideshow_id", "slideshow__published_at"))
    copies = (NearCopy.objects.filter(photo_id__in=photo_ids, copy__slides__slideshow__in=live)
              .values_list("photo_id", "copy__slides__slideshow_id", "copy__slides__slideshow__published_at"))
    found: dict[int, tuple] = {}
    for near, rows in ((False, itself), (True, copies)):
        for photo_id, show_id, published_at in rows:
            best = found.get(photo_id)
            if best is None or (best[2] and not near) or (best[2] == near and published_at > best[1]):
                found[photo_id] = (show_id, published_at, near)
    shows = Slideshow.objects.in_bulk({show_id for show_id, _, _ in found.values()})
    return {photo_id: Published(shows[show_id], near) for photo_id, (show_id, _, near) in found.items()}
