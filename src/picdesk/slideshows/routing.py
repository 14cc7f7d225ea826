"""Routing rules: what happens to a new photo whose metadata matches a rule,
whichever channel brought it (command line, desk, API, FTP, hot folder):
keywords added, a draft slideshow, a metadata template (slideshows.stationery)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from picdesk.audit.models import Actor, record
from picdesk.photos.models import Photo
from picdesk.photos.signals import photo_ingested
from picdesk.core.roles import require_role
from picdesk.slideshows.metadata_edits import save_edits
from picdesk.slideshows.models import RoutingRule, Slideshow
from picdesk.slideshows.stationery import values_for


ROUTED, NOTIFYING = "routed", "routed, notify"  # audit actions; the desk shows the second


def matches(rule: RoutingRule, photo: Photo) -> bool:
    wanted = rule.value.strip().casefold()
    if not wanted:
        return False
    if rule.field == RoutingRule.Field.KEYWORDS:
        return any(keyword.casefold() == wanted for keyword in photo.keywords)
    return wanted in str(getattr(photo, rule.field)).casefold()


def apply_rules(photo: Photo) -> list[RoutingRule]:
    """Every active rule that matches ``photo``, applied; returns them."""
    from picdesk.slideshows.publishing import add_photos, create_slideshow

    applied = [rule for rule in RoutingRule.objects.filter(active=True).select_related("series", "template")
               if matches(rule, photo)]
    for rule in applied:
        by = Actor("rule", sender=rule.name)
        new = [k.strip() for k in rule.add_keywords.split(",") if k.strip() and k.strip() not in photo.keywords]
        if new:
            photo.keywords = [*photo.keywords, *new]
            photo.save(update_fields=["keywords"])
        sequence = photo.pk
        if rule.add_to_draft:
            draft = Slideshow.objects.filter(title=rule.add_to_draft, status=Slideshow.Status.DRAFT).first()
            if draft is None:
                draft = create_slideshow(rule.add_to_draft, [photo], series=rule.series, by=by)
            else:
                add_photos(draft, [photo], by=by)
            sequence = draft.slides.count()
        if rule.template is not None:
            save_edits(photo, values_for(rule.template, photo, sequence), by=by,
                       action=f"applied template “{rule.template.name}”")
        record(None, NOTIFYING if rule.notify else ROUTED, photo=photo,  # the detail names the rule
               detail=f"{rule.name}: into “{rule.add_to_draft}”" if rule.add_to_draft else rule.name)
    return applied


@transaction.atomic
def save_rule(rule: RoutingRule, *, by: Actor | None = None) -> RoutingRule:
    """Make ``rule`` (admins' business: it acts on every photo that arrives)."""
    require_role(by, "admin")
    rule.save()
    record(by, "made routing rule", detail=rule.name)
    return rule


@transaction.atomic
def delete_rule(rule: RoutingRule, *, by: Actor | None = None) -> None:
    require_role(by, "admin")
    rule.delete()
    record(by, "deleted routing rule", detail=rule.name)


@receiver(photo_ingested)
def route_new_photo(sender, photo, arrival, **kwargs):
    apply_rules(photo)
