"""Bursts and near-duplicates: which photos are frames of one burst, and
which are (near) copies of a picture already used.

A burst is frames from one camera body (its serial, read from EXIF and never
published) each within BURST_SECONDS of the one before; where the body is
unknown, frames that close in time whose pictures are also near. Near means
at most NEAR_BITS of 64 apart (imaging.picture_distance).
"""

from __future__ import annotations

import datetime as dt

from picdesk.photos.imaging import picture_distance
from picdesk.photos.models import Photo

BURST_SECONDS = 2
NEAR_BITS = 10


def are_near(a: Photo, b: Photo) -> bool:
    return picture_distance(a.picture_hash, b.picture_hash) <= NEAR_BITS


def _time(photo: Photo) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(photo.camera_time) if photo.camera_time else None
    except ValueError:
        return None


def _same_burst(earlier: Photo, later: Photo) -> bool:
    t1, t2 = _time(earlier), _time(later)
    if t1 is None or t2 is None or abs((t2 - t1).total_seconds()) > BURST_SECONDS:
        return False
    if earlier.camera_serial or later.camera_serial:
        return earlier.camera_serial == later.camera_serial
    return are_near(earlier, later)


def bursts(photos: list[Photo]) -> list[list[Photo]]:
    """``photos`` in groups: each burst's frames in the order taken, every
    other photo alone; groups in the order their first photo comes in ``photos``."""
    by_time = sorted((p for p in photos if _time(p)), key=lambda p: (p.camera_serial, _time(p), p.pk))
    group_of: dict[int, list[Photo]] = {}
    previous = None
    for photo in by_time:
        if previous is not None and _same_burst(previous, photo):
            group = group_of[previous.pk]
            group.append(photo)
        else:
            group = [photo]
        group_of[photo.pk] = group
        previous = photo
    groups, seen = [], set()
    for photo in photos:
        group = group_of.get(photo.pk, [photo])
        if id(group) not in seen:
            seen.add(id(group))
            groups.append(group)
    return groups


def already_used(photos: list[Photo], used: list[tuple[Photo, object]]) -> dict[int, object]:
    """For each of ``photos`` that is, or is near, a photo in ``used`` (pairs
    of a photo and where it is used), that place. The caller says what counts
    as used (live slideshows, say) so this layer knows nothing of slideshows."""
    found = {}
    for photo in photos:
        for other, where in used:
            if other.pk == photo.pk or are_near(photo, other):
                found[photo.pk] = where
                break
    return found
