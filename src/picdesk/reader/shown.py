"""Photos as a page shows them: with the renditions that exist right now.

A slideshow page lists a few hundred renditions. One query fetches their
(format, width) pairs as plain tuples for every photo on the page, which costs
a fraction of building a model instance for each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from picdesk.core.caching import tag_photos
from picdesk.photos.models import Photo, Rendition


@dataclass
class ShownPhoto:
    photo: Photo
    crop: str = ""
    widths: dict[str, list[int]] = field(default_factory=dict)  # format -> widths, ascending
    public: dict[str, frozenset[int]] = field(default_factory=dict)  # format -> widths in the public bucket


def shown_photos(photos: list[Photo], crop: str = "") -> dict[int, ShownPhoto]:
    """A ShownPhoto for each of ``photos``, by photo id, in one query (and the
    document being made says it shows them: picdesk.core.caching)."""
    tag_photos(photos)
    shown = {photo.pk: ShownPhoto(photo, crop) for photo in photos}
    available, public = defaultdict(list), defaultdict(set)
    rows = (
        Rendition.objects.filter(photo__in=[p.pk for p in photos], crop=crop)
        .order_by("width")
        .values_list("photo_id", "format", "width", "public")
    )
    for photo_id, fmt, width, in_bucket in rows:
        available[photo_id, fmt].append(width)
        if in_bucket:
            public[photo_id, fmt].add(width)
    for (photo_id, fmt), widths in available.items():
        shown[photo_id].widths[fmt] = widths
    for (photo_id, fmt), widths in public.items():
        shown[photo_id].public[fmt] = frozenset(widths)
    return shown
