"""Bulk edits on a selection of photos: set credit or by-line, add or replace
keywords, find and replace in captions. Planned first (the desk shows the plan
as a preview), then applied; the originals are never touched."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from picdesk.audit.models import Actor
from picdesk.desk.editing import save_edits
from picdesk.desk.forms import split_list
from picdesk.photos.models import Photo


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
