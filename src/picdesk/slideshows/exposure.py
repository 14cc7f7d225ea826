"""Which photos' renditions readers may fetch from the public bucket: those of
photos in a live slideshow, and no others (photos.public copies and deletes).

Kept true after every change that can make a photo live or not: a slideshow
saved (published, unpublished, scheduled, edited), a slide added or removed,
a scheduled publication coming due (``publishing.publish_due``). Withdrawals
happen once the change is committed, before the desk's request returns; a
kill deletes its photo's public copies itself (``renditions.discard_renditions``).
Copies are the workers' (``tasks.expose_photos``): a slideshow of 25 photos has
hundreds of renditions, and until each is copied pages point at picdesk's
own address for it, which copies it when first asked. Renditions made after
the publication follow: the worker that makes them declares the effect too
(``photos.tasks``), and the pages showing a photo are purged once its copies
are there, so they link the bucket from then on.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from picdesk.core import effects
from picdesk.core.caching import photo_key
from picdesk.core.purging import purge
from picdesk.photos import public
from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slide, Slideshow


def sync_exposure(photo_ids, copy: bool = True) -> None:
    """Copy the renditions of those of ``photo_ids`` that are live into the
    public bucket (unless not ``copy``); delete the public copies of the others."""
    live = set(
        Slideshow.objects.live().filter(slides__photo__in=photo_ids).values_list("slides__photo", flat=True)
    )
    copied = set()
    for photo in Photo.objects.filter(pk__in=photo_ids).prefetch_related("renditions"):
        renditions = list(photo.renditions.all())
        if photo.pk not in live or photo.killed_at is not None:
            public.withdraw(renditions)
        elif copy and public.expose(renditions):
            copied.add(photo_key(photo.pk))
    # Pages rendered before the copies link picdesk's /media/r/ for them: from
    # now on they link the bucket.
    purge(copied)


def sync_after_commit(photo_ids) -> None:
    """Declare the "exposure" effect (picdesk.core.effects) for ``photo_ids``: once
    the change commits, what they must no longer show is withdrawn and the
    copies of what they now may are queued."""
    if public.public_storage() is not None:
        effects.declare("exposure", photo_ids)


def sync_now(photo_ids: set[int]) -> None:
    """The "exposure" effect: withdrawals now, copies by the workers."""
    from picdesk.slideshows.tasks import expose_photos

    ids = sorted(photo_ids)
    sync_exposure(ids, copy=False)
    expose_photos.enqueue(ids)


@receiver(post_save, sender=Slideshow)
def slideshow_saved(sender, instance, raw=False, **kwargs):
    if raw:  # a restore: its renditions are remade, then exposed
        return
    # A new slideshow's slides come after this save: append_slides declares them.
    sync_after_commit(Slide.objects.filter(slideshow_id=instance.pk).values_list("photo_id", flat=True))


@receiver(post_save, sender=Slide)
@receiver(post_delete, sender=Slide)
def slide_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    sync_after_commit([instance.photo_id])
