"""Bursts: which photos are frames of one burst.

A burst is frames from one camera body (its serial, read from EXIF and never
published) each within BURST_SECONDS of the one before; where the body is
unknown, frames that close in time whose pictures are also alike: at most
BURST_BITS of 64 apart (imaging.picture_distance). Near copies of a picture
are photos.near_copies.
"""

from __future__ import annotations

import datetime as dt

from picdesk.photos.imaging import picture_distance
from picdesk.photos.models import Photo

BURST_SECONDS = 2
# Looser than a near copy's: the subject moves between frames, and two
# pictures this alike taken seconds apart are one moment.
BURST_BITS = 10


def alike(a: Photo, b: Photo) -> bool:
    return picture_distance(a.picture_hash, b.picture_hash) <= BURST_BITS


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
    return alike(earlier, later)


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

