"""Metadata templates ("stationery pads", as Photo Mechanic calls them): the
credit, rights, place and caption boilerplate of a job, filled in for each
photo with its own values and set field by field (replace, or put before
or after what the photo has).

A template is applied to a selection from the bulk edit, with its preview
(``plan_template``, then metadata_edits.apply_changes), or to every photo
a routing rule matches as it arrives (slideshows.routing). Either way the
edits go through metadata_edits.save_edits: the same rules, codes expanded,
on the record.

Variables: ``{city}``, ``{country}``, ``{byline}``, ``{credit}``,
``{filename}``, ``{sequence}`` (the photo's place in the selection, or in the
draft a rule adds it to), ``{date}`` or ``{date:%B %d, %Y}`` (the date it was
taken, in strftime's terms), and every other text field by its name. A
template naming anything else is refused when saved.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import models, transaction

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role
from picdesk.photos.codes import expand
from picdesk.photos.models import Photo
from picdesk.slideshows.metadata_edits import Change, split_list

# The fields a template may set, in the order the desk shows them.
TEMPLATE_FIELDS = ("headline", "caption", "title", "byline", "credit", "source", "copyright_notice",
                   "usage_terms", "instructions", "city", "sublocation", "state", "country_code", "country",
                   "job_id", "alt_text", "keywords")
REPLACE, PREPEND, APPEND = "replace", "prepend", "append"
MODES = (REPLACE, PREPEND, APPEND)
VARIABLE = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
NAMED = {"filename": "original_name"}
VARIABLES = set(TEMPLATE_FIELDS) - {"keywords"} | {"date", "sequence", "filename"}


class TemplateError(ValueError):
    """A template that names a field or variable that does not exist."""


class MetadataTemplate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    fields = models.JSONField(default=dict, help_text="Field name -> {mode: replace|prepend|append, text: ...}.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "slideshows"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def check(fields: dict) -> dict:
    """``fields`` if every field, mode and variable exists; else TemplateError."""
    for name, setting in fields.items():
        if name not in TEMPLATE_FIELDS:
            raise TemplateError(f"a template cannot set “{name}”")
        if setting.get("mode") not in MODES:
            raise TemplateError(f"{name}: the mode is replace, prepend or append")
        for match in VARIABLE.finditer(setting.get("text", "")):
            if match.group(1) not in VARIABLES:
                raise TemplateError(f"{name}: there is no variable {{{match.group(1)}}}; "
                                    f"there are {', '.join(sorted(VARIABLES))}")
            if match.group(2) is not None and match.group(1) != "date":
                raise TemplateError(f"{name}: only {{date}} takes a format")
    return fields


@transaction.atomic
def save_template(template: MetadataTemplate, *, by: Actor | None = None) -> MetadataTemplate:
    require_role(by, "editor")
    check(template.fields)
    template.save()
    record(by, "saved metadata template", detail=template.name)
    return template


def fill(text: str, photo: Photo, sequence: int) -> str:
    """``text`` with its variables replaced by ``photo``'s values."""
    def value(match: re.Match) -> str:
        name, form = match.groups()
        if name not in VARIABLES:  # only what ``check`` lets a template name: never a model's inner attribute
            return match.group(0)
        if name == "sequence":
            return str(sequence)
        if name == "date":
            return _date(photo, form or "%Y-%m-%d")
        return str(getattr(photo, NAMED.get(name, name), "") or "")

    return VARIABLE.sub(value, text)


def _date(photo: Photo, form: str) -> str:
    taken = (photo.date_created or photo.camera_time)[:10]
    try:
        return dt.date.fromisoformat(taken).strftime(form)
    except ValueError:
        return taken  # a partial date ("2024-05") as the file gives it


def values_for(template: MetadataTemplate, photo: Photo, sequence: int) -> dict:
    """The field values ``template`` gives ``photo``."""
    values = {}
    for name, setting in template.fields.items():
        # Codes expanded here too, so that the preview shows what is saved.
        text, mode = expand(fill(setting.get("text", ""), photo, sequence)), setting["mode"]
        old = getattr(photo, name)
        if name == "keywords":
            given = split_list(text)
            values[name] = given if mode == REPLACE else list(dict.fromkeys(
                given + old if mode == PREPEND else old + given))
        elif mode == REPLACE or not old:
            values[name] = text
        else:
            values[name] = f"{text}{old}" if mode == PREPEND else f"{old}{text}"
    return values


def plan_template(photos: list[Photo], template: MetadataTemplate) -> list[Change]:
    """What applying ``template`` to ``photos`` (numbered in their order) would change."""
    return [Change(photo, name, getattr(photo, name), value)
            for sequence, photo in enumerate(photos, start=1)
            for name, value in values_for(template, photo, sequence).items() if getattr(photo, name) != value]
