"""Editing photos' metadata, one photo (``save_edits``) or a selection
(``plan_bulk_edit``, then ``apply_changes``): set credit or by-line, add or
replace keywords, find and replace in captions; and an XMP sidecar that
came after its photo (``apply_sidecar``).

Codes (photos.codes) are expanded in every value. Edits change the
database, never the original file; each edited field's
source becomes "edited". Renditions carry the credit, by-line, copyright and
caption in their own metadata, so an edit to one of those remakes them.

It sits with slideshows, not photos, because its rules are about them: a
contributor may not change a photo readers can see in a live slideshow
(LiveEditRefused: an editor makes that change, with a correction if it
matters), and the pages showing an edited photo change with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.photos.codes import expand, expand_value
from picdesk.photos.metadata import EDITED, SIDECAR, PhotoMetadata, bound
from picdesk.photos.models import MODEL_FIELD, Photo
from picdesk.photos.renditions import CARRIED_FIELDS, discard_renditions
from picdesk.photos.tasks import make_photo_renditions
from picdesk.core.roles import has_role, require_role
from picdesk.slideshows.deliveries import announce_update
from picdesk.slideshows.models import Slideshow, is_live


class LiveEditRefused(PermissionError):
    """A contributor's edit of a photo readers can see."""

    def __init__(self, photo: Photo):
        self.photo = photo
        super().__init__(f"“{photo}” is in a live slideshow: only an editor may change it")


def check_may_edit(photo: Photo, by: Actor | None) -> None:
    """LiveEditRefused for a contributor's change to a photo readers can see."""
    if by is not None and by.user is not None and not has_role(by.user, "editor") and is_live(photo):
        raise LiveEditRefused(photo)


@transaction.atomic
def save_edits(photo: Photo, values: dict, *, by: Actor | None = None, action: str = "edited metadata",
               source: str = EDITED) -> list[str]:
    """Set ``values`` (field -> new value) on ``photo``; returns the fields
    that changed, on the record as ``action`` by ``by``, each field's source
    now ``source``. A contributor's change to a live photo is refused
    (LiveEditRefused)."""
    require_role(by, "contributor")
    values = {name: expand_value(value) for name, value in values.items()}
    changed = [name for name, value in values.items() if getattr(photo, name) != value]
    if not changed:
        return []
    check_may_edit(photo, by)
    for name in changed:
        setattr(photo, name, values[name])
        photo.metadata_sources[name] = source
    # Only what changed: a rating or crop set meanwhile from another screen stays.
    photo.save(update_fields=[*changed, "metadata_sources"])
    # The pages that show it have changed: their ETags and sitemaps must say so.
    Slideshow.objects.filter(slides__photo=photo).update(updated_at=timezone.now())
    if CARRIED_FIELDS & set(changed):
        discard_renditions(photo)
        transaction.on_commit(lambda: make_photo_renditions.enqueue(photo.pk))
    record(by, action, photo=photo, detail=", ".join(changed))
    announce_update([photo.pk])  # partners subscribed to its live slideshows get the new version
    return changed


def apply_sidecar(photo: Photo, sidecar: PhotoMetadata, *, by: Actor | None = None) -> list[str]:
    """The values of an XMP sidecar that arrived after its photo, over the
    photo's, as they would have been at ingest (the sidecar wins)."""
    bound(sidecar)
    values = {MODEL_FIELD.get(name, name): getattr(sidecar, "byline" if name == "bylines" else name)
              for name in sidecar.sources}
    if "bylines" in sidecar.sources:
        values["bylines"] = sidecar.bylines
    return save_edits(photo, values, by=by, action="applied its XMP sidecar", source=SIDECAR)


def split_list(text: str) -> list[str]:
    """One item per line or comma, as editors type keywords and names."""
    return [item.strip() for line in text.splitlines() for item in line.split(",") if item.strip()]


@dataclass(frozen=True)
class Change:
    photo: Photo
    field: str
    old: object
    new: object


def plan_bulk_edit(photos: list[Photo], *, credit: str = "", byline: str = "", keywords: str = "",
                   keywords_mode: str = "add", find: str = "", replace: str = "") -> list[Change]:
    """The changes the edit would make, photo by photo; unchanged values are left out."""
    changes = []
    credit, byline, keywords, replace = (expand(text) for text in (credit, byline, keywords, replace))
    for photo in photos:
        new = {}
        if credit:
            new["credit"] = credit.strip()
        if byline:
            new["byline"] = byline.strip()
        if keywords:
            given = split_list(keywords)
            new["keywords"] = given if keywords_mode == "replace" else list(dict.fromkeys(photo.keywords + given))
        if find:
            new["caption"] = photo.caption.replace(find, replace)
        changes += [Change(photo, name, getattr(photo, name), value)
                    for name, value in new.items() if getattr(photo, name) != value]
    return changes


@transaction.atomic
def apply_changes(changes: list[Change], *, by: Actor | None = None) -> dict[Photo, list[str]]:
    """Save the planned changes, all or none (LiveEditRefused for a
    contributor's change to a live photo); returns the fields changed per photo."""
    by_photo: dict[Photo, dict] = {}
    for change in changes:
        by_photo.setdefault(change.photo, {})[change.field] = change.new
    return {photo: save_edits(photo, values, by=by, action="bulk edit") for photo, values in by_photo.items()}
