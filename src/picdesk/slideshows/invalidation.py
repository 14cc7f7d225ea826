"""What each change makes stale in the caches, purged by surrogate key once
it is committed (picdesk.caching names the keys, picdesk.purging sends them).

- a slideshow saved (an edit, a correction, its slides rearranged, published,
  unpublished, scheduled): its key, where readers can or could see it; and
  ``listings`` when its place in lists can move (status, time, series);
- a slideshow deleted: the same;
- a photo saved after its arrival (an edit on the desk, a kill): its key;
- a scheduled publication coming due: ``publishing.publish_due`` says so,
  since it flips the status without a save;
- a photo's renditions made: ``photos.tasks`` says so (pages list new sizes).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from picdesk.caching import LISTINGS, photo_key, slideshow_key
from picdesk.photos.models import Photo
from picdesk.purging import purge
from picdesk.slideshows.models import Slideshow

SEEN_BY_READERS = {Slideshow.Status.PUBLISHED, Slideshow.Status.SCHEDULED}
# What decides a slideshow's place in the lists (home, series, archive,
# rails, feeds, sitemaps).
LISTED_BY = ("status", "published_at", "series_id")


def slideshow_keys(before: dict | None, after: Slideshow) -> set[str]:
    """The keys a save of ``after`` makes stale, given its row ``before``."""
    was_seen = before is not None and before["status"] in SEEN_BY_READERS
    if not (was_seen or after.status in SEEN_BY_READERS):
        return set()  # a draft, before and after
    keys = {slideshow_key(after.pk)} if after.pk else set()
    if before is None or any(before[field] != getattr(after, field) for field in LISTED_BY):
        keys.add(LISTINGS)
    return keys


@receiver(pre_save, sender=Slideshow)
def slideshow_saving(sender, instance, **kwargs):
    before = Slideshow.objects.filter(pk=instance.pk).values(*LISTED_BY).first() if instance.pk else None
    purge(slideshow_keys(before, instance))


@receiver(post_delete, sender=Slideshow)
def slideshow_deleted(sender, instance, **kwargs):
    if instance.status in SEEN_BY_READERS:
        purge({slideshow_key(instance.pk), LISTINGS})


@receiver(post_save, sender=Photo)
def photo_saved(sender, instance, created, **kwargs):
    if not created:  # nothing shows a photo that has just arrived
        purge({photo_key(instance.pk)})
