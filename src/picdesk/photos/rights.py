"""What a photo's rights allow: restriction phrases and rights leases.

Two sources say a picture may not be published:

- its **restriction phrases**: the agency's Special Instructions (IIM 2:40)
  and Rights Usage Terms carry words such as "NOT FOR PUBLICATION" or
  "EMBARGOED". The desk keeps the list of phrases to look for, each with an
  action: block publication, require an editor's confirmation, or warn.
  Matching ignores case and punctuation ("Not for publication:" matches
  "NOT FOR PUBLICATION").
- its **rights leases** (as Guardian Grid has them): "allow" or "deny" use,
  each from/until a time. A photo under a deny lease now, or whose allow
  leases have all ended (or not begun), may not be published.

This module only says what applies; ``slideshows.rights_gate`` refuses
publications by it and withdraws photos whose lease has ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role

BLOCK, CONFIRM, WARN = "block", "confirm", "warn"

# The list a new site starts with (migration photos 0015): what agencies put
# in Special Instructions, and what each means for a publication.
DEFAULT_PHRASES = [
    ("NOT FOR PUBLICATION", BLOCK), ("DO NOT USE", BLOCK), ("MANDATORY KILL", BLOCK), ("NOT FOR USE", BLOCK),
    ("EMBARGOED", CONFIRM), ("HOLD FOR RELEASE", CONFIRM), ("NO SALES", CONFIRM),
    ("EDITORIAL USE ONLY", WARN), ("MANDATORY CREDIT", WARN), ("NO ARCHIVES", WARN), ("NO RESALES", WARN),
    ("NO THIRD PARTY SALES", WARN), ("MAGS OUT", WARN), ("TV OUT", WARN), ("ONLINE OUT", WARN),
]


def normalised(text: str) -> str:
    """Lower case, every run of punctuation and spaces one space: what
    phrases are compared in."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


class RestrictionPhrase(models.Model):
    class Action(models.TextChoices):
        BLOCK = BLOCK, "Block publication"
        CONFIRM = CONFIRM, "Require an editor's confirmation"
        WARN = WARN, "Warn"

    phrase = models.CharField(max_length=200)
    matches = models.CharField(max_length=200, unique=True, editable=False,
                               help_text="The phrase normalised: lower case, no punctuation.")
    action = models.CharField(max_length=10, choices=Action.choices, default=WARN)

    class Meta:
        app_label = "photos"
        ordering = ["matches"]

    def save(self, *args, **kwargs):
        self.matches = normalised(self.phrase)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.phrase


class RightsLease(models.Model):
    class Access(models.TextChoices):
        ALLOW = "allow", "Allow use"
        DENY = "deny", "Deny use"

    photo = models.ForeignKey("photos.Photo", on_delete=models.CASCADE, related_name="leases")
    access = models.CharField(max_length=5, choices=Access.choices)
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Empty: from the start.")
    ends_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Empty: for ever.")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "photos"
        ordering = ["photo", "starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="lease_starts")]

    def holds_at(self, at: datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= at) and (self.ends_at is None or at < self.ends_at)

    def __str__(self) -> str:
        start = f"{self.starts_at:%Y-%m-%d %H:%M}" if self.starts_at else "the start"
        end = f"{self.ends_at:%Y-%m-%d %H:%M}" if self.ends_at else "for ever"
        return f"{self.get_access_display()} from {start} until {end}" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Restriction:
    """One reason a photo's rights speak against publishing it."""

    action: str  # BLOCK, CONFIRM or WARN
    reason: str


def lease_refusal(leases: list[RightsLease], at: datetime) -> str:
    """Why ``leases`` forbid use at ``at``; empty if they allow it."""
    denied = [lease for lease in leases if lease.access == RightsLease.Access.DENY and lease.holds_at(at)]
    if denied:
        return f"a rights lease denies use: {denied[0]}"
    allows = [lease for lease in leases if lease.access == RightsLease.Access.ALLOW]
    if allows and not any(lease.holds_at(at) for lease in allows):
        return "no rights lease allows use now: " + "; ".join(str(lease) for lease in allows)
    return ""


def restrictions_of(photo, phrases: list[RestrictionPhrase], leases: list[RightsLease],
                    at: datetime | None = None) -> list[Restriction]:
    """What ``photo``'s instructions, usage terms and ``leases`` say against
    publishing it at ``at`` (now), most severe first."""
    found = []
    for field, text in (("special instructions", photo.instructions), ("usage terms", photo.usage_terms)):
        words = f" {normalised(text)} "
        found += [Restriction(phrase.action, f"{field} say “{phrase.phrase}”: {text.strip()[:200]}")
                  for phrase in phrases if phrase.matches and f" {phrase.matches} " in words]
    refusal = lease_refusal(leases, at or timezone.now())
    if refusal:
        found.append(Restriction(BLOCK, refusal))
    severity = {BLOCK: 0, CONFIRM: 1, WARN: 2}
    return sorted(found, key=lambda restriction: severity[restriction.action])


def restrictions_by_photo(photos, at: datetime | None = None) -> dict[int, list[Restriction]]:
    """``restrictions_of`` for each of ``photos`` (two queries in all), keyed
    by photo id; photos with none are left out."""
    phrases = list(RestrictionPhrase.objects.all())
    leases: dict[int, list[RightsLease]] = {}
    for lease in RightsLease.objects.filter(photo__in=[photo.pk for photo in photos]):
        leases.setdefault(lease.photo_id, []).append(lease)
    found = {photo.pk: restrictions_of(photo, phrases, leases.get(photo.pk, []), at) for photo in photos}
    return {pk: restrictions for pk, restrictions in found.items() if restrictions}


@transaction.atomic
def replace_phrases(lists: dict[str, str], *, by: Actor | None = None) -> int:
    """The restriction phrases become those of ``lists`` (an action -> its
    phrases, one a line), on the record; returns how many. A phrase in two
    lists keeps the gravest action."""
    require_role(by, "editor")
    chosen: dict[str, tuple[str, str]] = {}
    for action in (WARN, CONFIRM, BLOCK):  # graver actions overwrite
        for line in lists.get(action, "").splitlines():
            if normalised(line):
                chosen[normalised(line)] = (line.strip()[:200], action)
    RestrictionPhrase.objects.all().delete()
    RestrictionPhrase.objects.bulk_create(
        RestrictionPhrase(phrase=phrase, matches=matches, action=action)
        for matches, (phrase, action) in sorted(chosen.items()))
    counts = {action: sum(1 for _, chosen_action in chosen.values() if chosen_action == action)
              for action in (BLOCK, CONFIRM, WARN)}
    record(by, "saved the restriction phrases", detail=", ".join(f"{n} {action}" for action, n in counts.items()))
    return len(chosen)
