"""Routing rules: what happens to a new photo whose metadata matches a rule,
whichever channel brought it (command line, desk, API, FTP, hot folder)."""

from __future__ import annotations

from django.dispatch import receiver

from picdesk.audit.models import Actor, record
from picdesk.photos.models import Photo
from picdesk.photos.signals import photo_ingested
from picdesk.slideshows.models import RoutingRule, Slideshow


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

    applied = [rule for rule in RoutingRule.objects.filter(active=True).select_related("series")
               if matches(rule, photo)]
    for rule in applied:
        new = [k.strip() for k in rule.add_keywords.split(",") if k.strip() and k.strip() not in photo.keywords]
        if new:
            photo.keywords = [*photo.keywords, *new]
            photo.save(update_fields=["keywords"])
        if rule.add_to_draft:
            draft = Slideshow.objects.filter(title=rule.add_to_draft, status=Slideshow.Status.DRAFT).first()
            if draft is None:
                create_slideshow(rule.add_to_draft, [photo], series=rule.series, by=Actor("rule", sender=rule.name))
            else:
                add_photos(draft, [photo])
        record(None, NOTIFYING if rule.notify else ROUTED, photo=photo,
               detail=f"{rule.name}: into “{rule.add_to_draft}”" if rule.add_to_draft else rule.name)
    return applied


@receiver(photo_ingested)
def route_new_photo(sender, photo, arrival, **kwargs):
    apply_rules(photo)
