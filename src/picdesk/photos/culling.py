"""Culling: the one way to change a photo's marks (photos.marks), whatever
the channel. ``mark`` checks the values, saves only what changed and puts
each change on the photo's record.

Marks are the desk's own judgement of a take: read from the file at ingest,
written back into the desk's download of the original, never shown to
readers nor carried by a rendition or a public copy, so no page is purged.
"""

from __future__ import annotations

from django.db import transaction

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role
from picdesk.photos.marks import Marks, describe
from picdesk.photos.models import Photo


@transaction.atomic
def mark(photos: list[Photo], marks: Marks, *, by: Actor | None = None) -> list[Photo]:
    """Set ``marks`` on ``photos``; returns those that changed, each change on
    its record. Contributors may cull: marks are the desk's, not readers'."""
    require_role(by, "contributor")
    values = marks.checked().given()
    changed = []
    for photo in photos:
        before = {name: getattr(photo, name) for name in values}
        if before == values:
            continue
        Photo.objects.filter(pk=photo.pk).update(**values)
        for name, value in values.items():
            setattr(photo, name, value)
        record(by, "culled", photo=photo, detail=describe(photo, [n for n in values if before[n] != values[n]]))
        changed.append(photo)
    return changed
