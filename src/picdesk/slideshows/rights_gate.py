"""The rights gate: no channel publishes a photo its rights forbid
(photos.rights says what applies), and a photo whose lease ends is withdrawn.

- Publishing a slideshow, now or scheduled, and adding photos to one readers
  can or will see, is refused (RightsRefused) while any photo carries a
  "block" restriction or its leases forbid use at the publication time; a
  "confirm" restriction refuses it until the editor confirms (``confirmed``,
  on the record in the audit entry). "warn" restrictions are the caption
  checker's.
- A job queued for the moment a lease starts or ends, a scheduled slideshow
  coming due, and every sweep of the workers (ops.recovery, the net for a
  job lost) withdraw the photos whose leases now forbid use from every live
  slideshow (slideshows.kills.take_out_of_slideshows: their pages,
  renditions and public copies are purged with them).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role
from picdesk.photos.models import Photo
from picdesk.photos.rights import BLOCK, CONFIRM, RightsLease, lease_refusal, restrictions_by_photo


class RightsRefused(ValueError):
    """Photos that may not be published: ``blocked`` whatever anyone says,
    ``unconfirmed`` until an editor confirms. Each maps a photo to reasons."""

    def __init__(self, blocked: dict[Photo, list[str]], unconfirmed: dict[Photo, list[str]]):
        self.blocked, self.unconfirmed = blocked, unconfirmed
        lines = [f"{photo.public_key} may not be published: {'; '.join(reasons)}" for photo, reasons in blocked.items()]
        lines += [f"{photo.public_key} needs an editor's confirmation: {'; '.join(reasons)}"
                  for photo, reasons in unconfirmed.items()]
        super().__init__("\n".join(lines))


def check_publication(photos: list[Photo], *, at: datetime | None = None, confirmed: bool = False) -> list[str]:
    """Refuse (RightsRefused) unless ``photos`` may be published at ``at``
    (now); returns the confirmed restrictions, for the audit entry."""
    at = max(at or timezone.now(), timezone.now())
    found = restrictions_by_photo(photos, at)
    by_pk = {photo.pk: photo for photo in photos}
    blocked, unconfirmed, confirmations = {}, {}, []
    for pk, restrictions in found.items():
        reasons = {action: [r.reason for r in restrictions if r.action == action] for action in (BLOCK, CONFIRM)}
        if reasons[BLOCK]:
            blocked[by_pk[pk]] = reasons[BLOCK]
        if reasons[CONFIRM] and not confirmed:
            unconfirmed[by_pk[pk]] = reasons[CONFIRM]
        confirmations += [f"{by_pk[pk].public_key}: {reason}" for reason in reasons[CONFIRM]]
    if blocked or unconfirmed:
        raise RightsRefused(blocked, unconfirmed)
    return confirmations


def forbidden_by_lease(now: datetime | None = None) -> set[int]:
    """Photos in a slideshow readers can see whose leases forbid use ``now``."""
    from picdesk.slideshows.models import Slideshow

    now = now or timezone.now()
    live = Slideshow.objects.live(now).values("slides__photo")
    turning = (Q(access=RightsLease.Access.DENY, starts_at__lte=now) | Q(access=RightsLease.Access.DENY, starts_at=None)
               | Q(access=RightsLease.Access.ALLOW, ends_at__lte=now) | Q(access=RightsLease.Access.ALLOW, starts_at__gt=now))
    candidates = set(RightsLease.objects.filter(turning, photo__in=live).values_list("photo_id", flat=True))
    leases: dict[int, list[RightsLease]] = {}
    for lease in RightsLease.objects.filter(photo__in=candidates):
        leases.setdefault(lease.photo_id, []).append(lease)
    return {pk for pk, held in leases.items() if lease_refusal(held, now)}


def withdraw_forbidden(now: datetime | None = None) -> int:
    """Take every photo whose lease now forbids use out of the slideshows
    readers see; returns how many photos."""
    from picdesk.slideshows.kills import take_out_of_slideshows
    from picdesk.slideshows.models import Slideshow

    withdrawn = 0
    for pk in sorted(forbidden_by_lease(now)):
        with transaction.atomic():
            photo = Photo.objects.select_for_update().get(pk=pk)
            refusal = lease_refusal(list(photo.leases.all()), now or timezone.now())
            if not refusal:
                continue  # a lease changed meanwhile
            left = take_out_of_slideshows(photo, Slideshow.objects.live(now))
            for slideshow in left:
                record(None, "photo withdrawn", slideshow=slideshow, photo=photo, detail=refusal)
            withdrawn += bool(left)
    return withdrawn


@transaction.atomic
def add_lease(photo: Photo, access: str, *, starts_at: datetime | None = None, ends_at: datetime | None = None,
              note: str = "", by: Actor | None = None) -> RightsLease:
    """A rights lease on ``photo``, on the record. One that forbids use now
    takes the photo out of every live slideshow once committed."""
    require_role(by, "editor")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValueError("a lease must end after it starts")
    lease = RightsLease.objects.create(photo=photo, access=access, starts_at=starts_at, ends_at=ends_at,
                                       note=note.strip()[:500])
    record(by, "added a rights lease", photo=photo, detail=str(lease))
    transaction.on_commit(withdraw_forbidden)
    for boundary in {at for at in (starts_at, ends_at) if at and at > timezone.now()}:
        transaction.on_commit(lambda at=boundary: _withdraw_at(at))
    return lease


def _withdraw_at(at: datetime) -> None:
    from picdesk.slideshows.tasks import withdraw_at_lease_boundary

    withdraw_at_lease_boundary.using(run_after=at).enqueue()


@transaction.atomic
def remove_lease(lease: RightsLease, *, by: Actor | None = None) -> None:
    """Remove ``lease``, on the record (removing the last allow lease of a
    photo that has deny leases can forbid it: withdrawn then too)."""
    require_role(by, "editor")
    record(by, "removed a rights lease", photo=lease.photo, detail=str(lease))
    lease.delete()
    transaction.on_commit(withdraw_forbidden)
