"""The two rails under a slideshow: Next Slideshows and More in Pictures."""

from __future__ import annotations

from django.db.models import Q

from picdesk.core.config import setting
from picdesk.slideshows.models import Slideshow


def next_slideshows(current: Slideshow, count: int | None = None) -> list[Slideshow]:
    """The slideshows published right after ``current``, oldest first. Where fewer
    follow (the newest slideshows), those published right before it fill the
    rail, nearest first."""
    count = setting("PICDESK_NEXT_SLIDESHOWS") if count is None else count
    live = Slideshow.objects.live().exclude(pk=current.pk).select_related("cover")
    after = Q(published_at__gt=current.published_at) | Q(
        published_at=current.published_at, pk__gt=current.pk
    )
    following = list(live.filter(after).order_by("published_at", "id")[:count])
    if len(following) < count:
        preceding = live.exclude(after).order_by("-published_at", "-id")
        following += list(preceding[: count - len(following)])
    return following


def more_in_pictures(current: Slideshow | None, count: int | None = None) -> list[Slideshow]:
    """The latest live slideshows other than ``current``, newest first."""
    count = setting("PICDESK_MORE_IN_PICTURES") if count is None else count
    live = Slideshow.objects.live().select_related("cover")  # cards show it
    if current is not None:
        live = live.exclude(pk=current.pk)
    return list(live.newest_first()[:count])
