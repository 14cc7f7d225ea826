"""Killing a photo: withdrawing it everywhere at once.

An agency kill ("mandatory kill", "withdrawn") means the picture must not be
shown again, anywhere. The photo leaves every slideshow (a slideshow left
empty is unpublished), its renditions are deleted, it gets a new random
public key so that no URL ever cached still leads to it, it leaves the search
index (the reader's signal handlers see it saved as killed), and its original
moves to ``quarantine/``, which only admins can see.
The row stays, so the audit log and a re-import of the same bytes know it.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.photos.models import Photo, new_public_key
from picdesk.photos.renditions import discard_renditions
from picdesk.photos.storage_names import quarantine_path
from picdesk.slideshows import deliveries
from picdesk.slideshows.models import Slideshow
from picdesk.core.roles import require_role
from picdesk.slideshows.publishing import renumber


@transaction.atomic
def kill_photo(photo: Photo, reason: str, *, by: Actor | None = None) -> list[Slideshow]:
    """Withdraw ``photo`` (``by`` an editor, when a desk account; the kill and
    its audit entries commit together); returns the slideshows it was taken
    out of. ValueError without a reason."""
    require_role(by, "editor")
    if not reason.strip():
        raise ValueError("a kill needs a reason")
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    if photo.killed_at is not None:
        return []
    was_live = [show for show in Slideshow.objects.filter(slides__photo=photo).distinct() if deliveries.is_live(show)]
    for slideshow in was_live:  # the advisory names the photo by the key partners know it by
        deliveries.announce(slideshow, deliveries.KILLED, item=deliveries.photo_item(photo), note=reason.strip())
    affected = take_out_of_slideshows(photo)
    discard_renditions(photo)
    _quarantine_original(photo)
    photo.killed_at = timezone.now()
    photo.kill_reason = reason.strip()
    photo.public_key = new_public_key()
    photo.save()  # which also takes it out of the search index (reader.signals)
    record(by, "killed", photo=photo, detail=photo.kill_reason)
    for slideshow in affected:
        record(by, "photo killed", slideshow=slideshow, photo=photo, detail=photo.kill_reason)
    return affected


def _quarantine_original(photo: Photo) -> None:
    """Copy the original into quarantine now; delete it from originals once
    the kill is committed, so a failed kill loses nothing."""
    old, new = photo.original, quarantine_path(photo.original)
    if not default_storage.exists(new):
        with default_storage.open(old, "rb") as original:
            default_storage.save(new, ContentFile(original.read()))
    photo.original = new
    transaction.on_commit(lambda: default_storage.delete(old))


def take_out_of_slideshows(photo: Photo, slideshows=None) -> list[Slideshow]:
    """Remove ``photo`` from ``slideshows`` (all of them, if None); a
    slideshow left empty is unpublished. Each slide's removal purges the
    photo's pages and withdraws its public copies (slideshows.invalidation,
    slideshows.exposure); returns the slideshows it left."""
    slides = photo.slides.all() if slideshows is None else photo.slides.filter(slideshow__in=slideshows)
    affected = list(Slideshow.objects.filter(pk__in=slides.values("slideshow_id")))
    was_live = {show.pk for show in affected if deliveries.is_live(show)}
    slides.delete()
    for slideshow in affected:
        renumber(list(slideshow.slides.all()))
        if not slideshow.slides.exists() and slideshow.status != Slideshow.Status.DRAFT:
            slideshow.status = Slideshow.Status.UNPUBLISHED
        if slideshow.cover_id == photo.pk:
            slideshow.cover = None
        # Saving also moves updated_at on, so no conditional GET answers 304
        # with a page that still shows the photo.
        slideshow.save()
        if slideshow.pk in was_live:
            live = slideshow.status == Slideshow.Status.PUBLISHED
            deliveries.announce(slideshow, deliveries.UPDATED if live else deliveries.CANCELED)
    return affected
