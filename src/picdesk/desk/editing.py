"""Editing a photo's metadata on the desk.

Edits change the database, never the original file; each edited field's
source becomes "edited". Renditions carry the credit, by-line, copyright and
caption in their own metadata, so an edit to one of those remakes them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from picdesk.photos.metadata import EDITED
from picdesk.photos.models import Photo
from picdesk.photos.renditions import discard_renditions
from picdesk.photos.signing import EDITABLE_TEXT
from picdesk.photos.tasks import make_photo_renditions
from picdesk.slideshows.models import Slideshow

CARRIED_BY_RENDITIONS = set(EDITABLE_TEXT)


@transaction.atomic
def save_edits(photo: Photo, values: dict) -> list[str]:
    """Set ``values`` (field -> new value) on ``photo``; returns the fields
    that changed."""
    changed = [name for name, value in values.items() if getattr(photo, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(photo, name, values[name])
        photo.metadata_sources[name] = EDITED
    photo.save()
    # The pages that show it have changed: their ETags and sitemaps must say so.
    Slideshow.objects.filter(slides__photo=photo).update(updated_at=timezone.now())
    if CARRIED_BY_RENDITIONS & set(changed):
        discard_renditions(photo)
        transaction.on_commit(lambda: make_photo_renditions.enqueue(photo.pk))
    return changed

