"""Making slideshows from photos, arranging them, and the publishing workflow:
draft -> scheduled (embargoed until ``published_at``) -> published ->
unpublished, with corrections after publication.

These are the services every channel calls (desk, API, ``picdesk import``,
routing rules, the demo). Each takes ``by``, the Actor making the change
(None: the system itself, such as the scheduler), checks the Actor's role
where a desk account acts, writes the audit entry in the same transaction,
and declares its effects (purges, the public bucket, deliveries to
subscribers: picdesk.core.effects, slideshows.deliveries).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import ngettext

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role
from picdesk.core.caching import LISTINGS, slideshow_key
from picdesk.photos.codes import expand
from picdesk.photos.models import Photo
from picdesk.core.purging import purge
from picdesk.slideshows import deliveries
from picdesk.slideshows.exposure import sync_after_commit
from picdesk.slideshows.invalidation import preceding_keys, slides_changed
from picdesk.slideshows.models import Correction, Series, Slide, Slideshow
from picdesk.slideshows.rights_gate import check_publication, withdraw_forbidden


class WithdrawnPhotos(ValueError):
    """Killed photos cannot go into a slideshow, by any channel."""

    def __init__(self, photos: list[Photo]):
        self.photos = photos
        super().__init__(f"killed, never to be used again: {', '.join(p.public_key for p in photos)}")


def photo_count(n: int) -> str:
    return ngettext("%d photo", "%d photos", n) % n


@transaction.atomic
def create_slideshow(
    title: str,
    photos: list[Photo],
    *,
    summary: str = "",
    published_at: datetime | None = None,
    publish: bool = False,
    series: Series | None = None,
    by: Actor | None = None,
    confirmed: bool = False,
) -> Slideshow:
    """A slideshow of ``photos`` in the order given: a draft, or with
    ``publish`` published, or scheduled where ``published_at`` is still to
    come (readers see it from then on). ``by`` is on the record for it.
    WithdrawnPhotos if any photo is killed, RightsRefused if its rights
    forbid publishing it (``confirmed``: an editor has checked the
    restrictions that ask for it); nothing is made then."""
    require_role(by, "editor")
    now = timezone.now()
    published_at = published_at or now
    confirmations = check_publication(photos, at=published_at, confirmed=confirmed) if publish else []
    status = Slideshow.Status.DRAFT
    if publish:
        status = Slideshow.Status.SCHEDULED if published_at > now else Slideshow.Status.PUBLISHED
    slideshow = Slideshow.objects.create(
        title=expand(title),
        summary=expand(summary),
        series=series,
        published_at=published_at,
        status=status,
        first_published_at=published_at if publish else None,
    )
    if status == Slideshow.Status.SCHEDULED:
        transaction.on_commit(lambda: _enqueue_publication(published_at))
    append_slides(slideshow, photos)
    record(by, "created", slideshow=slideshow, detail=f"with {photo_count(len(photos))}" if photos else "")
    _record_confirmations(by, slideshow, confirmations)
    if deliveries.is_live(slideshow):
        deliveries.announce(slideshow, deliveries.PUBLISHED)
    return slideshow


def _record_confirmations(by: Actor | None, slideshow: Slideshow, confirmations: list[str]) -> None:
    for confirmation in confirmations:
        record(by, "confirmed restriction", slideshow=slideshow, detail=confirmation)


@transaction.atomic
def add_photos(slideshow: Slideshow, photos: list[Photo], *, by: Actor | None = None,
               confirmed: bool = False) -> int:
    """Append ``photos`` not already in it; returns how many were added.
    WithdrawnPhotos if any is killed, RightsRefused if readers can or will
    see the slideshow and rights forbid one (nothing is added then)."""
    require_role(by, "editor")
    present = set(slideshow.slides.values_list("photo_id", flat=True))
    new = [photo for photo in dict.fromkeys(photos) if photo.pk not in present]
    confirmations = []
    if slideshow.status in (Slideshow.Status.PUBLISHED, Slideshow.Status.SCHEDULED):
        confirmations = check_publication(new, at=slideshow.published_at, confirmed=confirmed)
    added = append_slides(slideshow, new)
    slideshow.save(update_fields=["updated_at"])
    record(by, "added photos", slideshow=slideshow, detail=photo_count(len(added)))
    _record_confirmations(by, slideshow, confirmations)
    if added and deliveries.is_live(slideshow):
        deliveries.announce(slideshow, deliveries.UPDATED)
    return len(added)


def append_slides(slideshow: Slideshow, photos: list[Photo]) -> list[Slide]:
    """Slides for ``photos`` after the last one, each with the next photo page
    number never given out in this slideshow (``Slide.number``).

    The photos' rows are locked first, as a kill locks its photo's: a kill
    and this wait for each other, so a photo killed meanwhile is refused
    here, or taken out by the kill after."""
    ids = [photo.pk for photo in photos]
    # Every row locked, not just the killed ones (a lock holds only the rows
    # a query returns), in one order so two of these cannot deadlock.
    taken = Photo.objects.select_for_update().filter(pk__in=ids).order_by("pk").only("pk", "killed_at", "public_key")
    killed = [photo for photo in taken if photo.killed_at is not None]
    if killed:
        raise WithdrawnPhotos(killed)
    locked = Slideshow.objects.select_for_update().get(pk=slideshow.pk)
    last = slideshow.slides.aggregate(last=Max("position"))["last"] or 0
    first_number = locked.numbered_slides + 1
    slides = Slide.objects.bulk_create(
        Slide(slideshow=slideshow, photo=photo, position=last + n, number=first_number + n - 1)
        for n, photo in enumerate(photos, 1)
    )
    slideshow.numbered_slides = locked.numbered_slides + len(slides)
    Slideshow.objects.filter(pk=slideshow.pk).update(numbered_slides=slideshow.numbered_slides)
    slides_changed(slideshow.pk, ids)  # bulk_create sends no signal
    sync_after_commit(ids)
    return slides


class SlugFixed(ValueError):
    """A published slideshow's address is in links and feeds out there."""


EDITABLE_DETAILS = ("title", "slug", "summary", "series", "cover")


@transaction.atomic
def edit_slideshow(slideshow: Slideshow, *, details: dict | None = None, order: list[int] | None = None,
                   captions: dict[int, str] | None = None, remove: set[int] = frozenset(),
                   by: Actor | None = None) -> Slideshow:
    """Change ``details`` (any of EDITABLE_DETAILS), then arrange the slides
    (``arrange_slides``), on the record as one edit. SlugFixed when the slug
    would change after first publication; nothing is saved then."""
    require_role(by, "editor")
    if details:
        _change_details(slideshow, details)
    arrange_slides(slideshow, order if order is not None else [], captions, remove)
    record(by, "edited", slideshow=slideshow, detail=f"removed {photo_count(len(remove))}" if remove else "")
    if deliveries.is_live(slideshow):
        deliveries.announce(slideshow, deliveries.UPDATED)
    return slideshow


def _change_details(slideshow: Slideshow, details: dict) -> None:
    unknown = set(details) - set(EDITABLE_DETAILS)
    if unknown:
        raise ValueError(f"not a slideshow detail: {', '.join(sorted(unknown))}")
    stored = Slideshow.objects.select_for_update().get(pk=slideshow.pk)
    slug = details.get("slug", stored.slug)  # empty: made from the title when saved
    if stored.slug_is_fixed and slug not in ("", stored.slug):
        raise SlugFixed(f"the address /pictures/{stored.slug}/ is fixed since first publication")
    for name, value in details.items():
        setattr(slideshow, name, expand(value) if name in ("title", "summary") else value)
    slideshow.slug = stored.slug if stored.slug_is_fixed else slug
    slideshow.save()


@transaction.atomic
def arrange_slides(slideshow: Slideshow, order: list[int], captions: dict[int, str] | None = None,
                   remove: set[int] = frozenset()) -> None:
    """Put the slides (by id) in ``order``, drop those in ``remove`` and set
    the slideshow's own captions. Slides missing from ``order`` keep their
    relative place after the ones named."""
    slides = {slide.pk: slide for slide in slideshow.slides.select_related("photo")}
    named = [pk for pk in dict.fromkeys(order) if pk in slides]
    ordered = named + [pk for pk in slides if pk not in named]
    removed_photos = {slides[pk].photo_id for pk in remove if pk in slides}
    Slide.objects.filter(slideshow=slideshow, pk__in=remove).delete()
    if slideshow.cover_id in removed_photos:
        slideshow.cover = None
    kept = [slides[pk] for pk in ordered if pk not in remove]
    renumber(kept)
    recaptioned = []
    for slide in kept:
        if captions and slide.pk in captions:
            # A caption identical to the photo's own is not an override
            # (browsers send a textarea's line breaks as CRLF).
            text = expand(captions[slide.pk].replace("\r\n", "\n").strip())
            text = "" if text == slide.photo.caption.strip() else text
            if text != slide.caption:
                slide.caption = text
                recaptioned.append(slide.photo_id)
    Slide.objects.bulk_update(kept, ["caption"])
    slides_changed(slideshow.pk, recaptioned)
    slideshow.save(update_fields=["updated_at", "cover"])


def renumber(slides: list[Slide]) -> None:
    """Positions 1..n in list order. Two passes: one position per slide is a
    unique constraint, which a swap in one pass would break on the way."""
    offset = 1 + max((slide.position for slide in slides), default=0)
    for n, slide in enumerate(slides, 1):
        slide.position = offset + n
    Slide.objects.bulk_update(slides, ["position"])
    for n, slide in enumerate(slides, 1):
        slide.position = n
    Slide.objects.bulk_update(slides, ["position"])


@transaction.atomic
def publish(slideshow: Slideshow, at: datetime | None = None, *, by: Actor | None = None,
            confirmed: bool = False) -> Slideshow:
    """Publish now, or at ``at`` (an embargo: scheduled until then).
    RightsRefused if its photos' rights forbid it (``confirmed``: an editor
    has checked the restrictions that ask for it).

    The slug is fixed from here on. A slideshow published before and
    unpublished keeps its first publication date when republished now.
    """
    require_role(by, "editor")
    photos = [slide.photo for slide in slideshow.slides.select_related("photo")]
    confirmations = check_publication(photos, at=at, confirmed=confirmed)
    now = timezone.now()
    if at is not None and at > now:
        slideshow.status = Slideshow.Status.SCHEDULED
        slideshow.published_at = at
        transaction.on_commit(lambda: _enqueue_publication(at))
    else:
        slideshow.status = Slideshow.Status.PUBLISHED
        if slideshow.first_published_at is None or slideshow.published_at > now:
            slideshow.published_at = now
    if slideshow.first_published_at is None or slideshow.first_published_at > slideshow.published_at:
        slideshow.first_published_at = slideshow.published_at
    slideshow.save()
    action = "scheduled" if slideshow.status == Slideshow.Status.SCHEDULED else "published"
    record(by, action, slideshow=slideshow, detail=f"{slideshow.published_at:%Y-%m-%d %H:%M:%S} UTC")
    _record_confirmations(by, slideshow, confirmations)
    if deliveries.is_live(slideshow):
        deliveries.announce(slideshow, deliveries.PUBLISHED)
    return slideshow


def _enqueue_publication(at: datetime) -> None:
    from picdesk.slideshows.tasks import publish_due_slideshows

    publish_due_slideshows.using(run_after=at).enqueue()


@transaction.atomic
def unpublish(slideshow: Slideshow, *, by: Actor | None = None) -> Slideshow:
    """Take it off the site (and cancel a schedule); it can be published again."""
    require_role(by, "editor")
    was_live = deliveries.is_live(Slideshow.objects.get(pk=slideshow.pk))
    slideshow.status = Slideshow.Status.UNPUBLISHED
    slideshow.save()
    record(by, "unpublished", slideshow=slideshow)
    if was_live:
        deliveries.announce(slideshow, deliveries.CANCELED)
    return slideshow


def publish_due(now: datetime | None = None) -> list[Slideshow]:
    """Scheduled slideshows whose time has come become published. Each flips
    in one conditional UPDATE: of several workers that got here at once, one
    flips it and the others find it done, so it is published exactly once."""
    now = now or timezone.now()
    flipped = []
    for slideshow in Slideshow.objects.filter(status=Slideshow.Status.SCHEDULED, published_at__lte=now):
        if Slideshow.objects.filter(pk=slideshow.pk, status=Slideshow.Status.SCHEDULED).update(
            status=Slideshow.Status.PUBLISHED, updated_at=timezone.now()
        ):
            slideshow.refresh_from_db()
            flipped.append(slideshow)
    if flipped:  # no signals from update(): the public bucket and the caches are told here
        sync_after_commit(Slide.objects.filter(slideshow__in=flipped).values_list("photo_id", flat=True))
        purge({LISTINGS, *(slideshow_key(show.pk) for show in flipped),
               *(key for show in flipped for key in preceding_keys(show.published_at))})
        withdraw_forbidden(now)  # a lease may have ended since it was scheduled
        for show in flipped:
            deliveries.announce(show, deliveries.PUBLISHED)
    return flipped


@transaction.atomic
def correct(slideshow: Slideshow, note: str, *, by: Actor | None = None) -> Correction:
    """A dated correction note on a published slideshow (the edit itself is
    made in place before); it also marks the slideshow changed for feeds and
    sitemaps."""
    require_role(by, "editor")
    if not note.strip():
        raise ValueError("a correction needs a note")
    correction = Correction.objects.create(slideshow=slideshow, note=note.strip())
    slideshow.save(update_fields=["updated_at"])
    record(by, "corrected", slideshow=slideshow, detail=correction.note)
    if deliveries.is_live(slideshow):
        deliveries.announce(slideshow, deliveries.CORRECTED, note=correction.note)
    return correction


@transaction.atomic
def save_series(series: Series, *, by: Actor | None = None, was: str = "") -> Series:
    """Make ``series`` (a new one) or rename it from ``was``, on the record."""
    require_role(by, "editor")
    series.save()
    record(by, "renamed series" if was else "created series",
           detail=f"{was} → {series.name}" if was else series.name)
    return series
