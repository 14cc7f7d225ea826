"""Editing a photo's metadata on the desk.

Edits change the database, never the original file; each edited field's
source becomes "edited". Renditions carry the credit, by-line, copyright and
caption in their own metadata, so an edit to one of those remakes them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.photos.metadata import EDITED
from picdesk.photos.models import Photo
from picdesk.photos.renditions import discard_renditions
from picdesk.photos.signing import EDITABLE_TEXT
from picdesk.photos.tasks import make_photo_renditions
from picdesk.roles import has_role
from picdesk.slideshows.models import Slideshow

CARRIED_BY_RENDITIONS = set(EDITABLE_TEXT)


class LiveEditRefused(PermissionError):
    """A contributor's edit of a photo readers can see."""

    def __init__(self, photo: Photo):
        self.photo = photo
        super().__init__(f"“{photo}” is in a live slideshow: only an editor may change it")


@transaction.atomic
def save_edits(photo: Photo, values: dict, *, by: Actor | None = None, action: str = "edited metadata") -> list[str]:
    """Set ``values`` (field -> new value) on ``photo``; returns the fields
    that changed. With ``by``, the rule on live photos holds (LiveEditRefused)
    and the change is on the record as ``action``."""
    changed = [name for name, value in values.items() if getattr(photo, name) != value]
    if not changed:
        return []
    if by is not None and not has_role(by.user, "editor") and Slideshow.objects.live().filter(
            slides__photo=photo).exists():
        raise LiveEditRefused(photo)
    for name in changed:
        setattr(photo, name, values[name])
        photo.metadata_sources[name] = EDITED
    photo.save()
    # The pages that show it have changed: their ETags and sitemaps must say so.
    Slideshow.objects.filter(slides__photo=photo).update(updated_at=timezone.now())
    if CARRIED_BY_RENDITIONS & set(changed):
        discard_renditions(photo)
        transaction.on_commit(lambda: make_photo_renditions.enqueue(photo.pk))
    if by is not None:
        record(by, action, photo=photo, detail=", ".join(changed))
    return changed

