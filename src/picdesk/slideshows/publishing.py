"""Making slideshows from photos, and publishing them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from picdesk.photos.models import Photo
from picdesk.slideshows.models import Series, Slide, Slideshow


@transaction.atomic
def create_slideshow(
    title: str,
    photos: list[Photo],
    *,
    summary: str = "",
    published_at: datetime | None = None,
    publish: bool = False,
    series: Series | None = None,
) -> Slideshow:
    """A slideshow of ``photos`` in the order given. Published at once when
    ``publish`` (readers see it from ``published_at`` on), else a draft."""
    slideshow = Slideshow.objects.create(
        title=title,
        summary=summary,
        series=series,
        published_at=published_at or timezone.now(),
        status=Slideshow.Status.PUBLISHED if publish else Slideshow.Status.DRAFT,
    )
    Slide.objects.bulk_create(
        Slide(slideshow=slideshow, photo=photo, position=position)
        for position, photo in enumerate(photos, start=1)
    )
    return slideshow
