"""What each change makes stale in the caches, purged by surrogate key once
it is committed (picdesk.core.caching names the keys, picdesk.core.purging sends them).

- a slideshow saved (an edit, a correction, its slides rearranged, published,
  unpublished, scheduled): its key, where readers can or could see it; and
  ``listings`` when its place in lists can move (status, time, series); and
  then too each of its photos' keys, since photos enter or leave the live set
  with it (their pages, API documents, originals, renditions), and the keys of
  the few slideshows published right before it, whose pages' Next Slideshows
  rails it enters or leaves. Every other slideshow page stays: its More in
  Pictures rail is a fragment of its own (reader.views.rails, core.esi);
- a slideshow deleted: the same;
- a slide added to or taken from a slideshow readers can or could see: the
  slideshow's key, ``listings`` (its cards count photos) and the photo's key;
- a photo saved after its arrival (an edit on the desk, a kill): its key;
- a scheduled publication coming due: ``publishing.publish_due`` says so,
  since it flips the status without a save;
- a photo's renditions made: ``photos.tasks`` says so (pages list new sizes).

A 404 or 410 from a public address carries ``listings`` (picdesk.core.caching),
so whatever makes it live again purges it. Nothing here fires for a raw save
(``picdesk restore`` loading fixtures): a restored site purges nothing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from picdesk.core.caching import LISTINGS, photo_key, slideshow_key
from picdesk.core.config import setting
from picdesk.photos.models import Photo
from picdesk.core.purging import purge
from picdesk.slideshows.models import Slide, Slideshow

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
        keys.update(_photo_keys(after.pk))  # its photos enter or leave the live set with it
        # Their Next Slideshows rails may now hold it (reader.views.rails).
        keys.update(preceding_keys(after.published_at))
        if before is not None and before["published_at"] != after.published_at:
            keys.update(preceding_keys(before["published_at"]))
    return keys


def preceding_keys(published_at) -> set[str]:
    """The slideshows published right before ``published_at``, as many as a
    Next Slideshows rail holds: the pages whose rail a slideshow at that time
    enters or leaves."""
    count = setting("PICDESK_NEXT_SLIDESHOWS")
    if not published_at or not count:
        return set()
    before = (Slideshow.objects.live().filter(published_at__lte=published_at).order_by("-published_at", "-id")
              .values_list("pk", flat=True)[: count + 1])
    return {slideshow_key(pk) for pk in before}


def _photo_keys(slideshow_id: int | None) -> set[str]:
    if slideshow_id is None:
        return set()
    return {photo_key(pk) for pk in Slide.objects.filter(slideshow_id=slideshow_id).values_list("photo_id", flat=True)}


@receiver(pre_save, sender=Slideshow)
def slideshow_saving(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = Slideshow.objects.filter(pk=instance.pk).values(*LISTED_BY).first() if instance.pk else None
    purge(slideshow_keys(before, instance))


@receiver(pre_delete, sender=Slideshow)
def slideshow_deleting(sender, instance, **kwargs):
    if instance.status in SEEN_BY_READERS:  # before its slides go with it
        purge({slideshow_key(instance.pk), LISTINGS, *_photo_keys(instance.pk)})


def slides_changed(slideshow_id: int, photo_ids) -> None:
    """Slides of ``photo_ids`` were added to, taken from or recaptioned in the
    slideshow: ``bulk_create`` and ``bulk_update`` send no signal, so
    ``publishing`` calls this itself."""
    if not photo_ids:
        return
    status = Slideshow.objects.filter(pk=slideshow_id).values_list("status", flat=True).first()
    if status in SEEN_BY_READERS:
        purge({slideshow_key(slideshow_id), LISTINGS, *(photo_key(pk) for pk in photo_ids)})


@receiver(post_save, sender=Slide)
@receiver(post_delete, sender=Slide)
def slide_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        slides_changed(instance.slideshow_id, [instance.photo_id])


@receiver(post_save, sender=Photo)
def photo_saved(sender, instance, created, raw=False, **kwargs):
    if not (created or raw):  # nothing shows a photo that has just arrived
        purge({photo_key(instance.pk)})
