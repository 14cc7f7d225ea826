"""What the desk keeps per editor: for now, the time zone they work in."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import models

from picdesk.core.config import setting


class DeskProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile")
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="IANA name, e.g. Europe/Lisbon; empty uses PICDESK_TIME_ZONE."
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.time_zone or 'default time zone'})"

    @classmethod
    def choose_time_zone(cls, user, time_zone: str) -> None:
        """The editor's own choice, of their own desk: not an editorial change
        to put on the record."""
        cls.objects.update_or_create(user=user, defaults={"time_zone": time_zone})


def time_zone_of(user) -> zoneinfo.ZoneInfo:
    """The zone ``user`` sees and enters desk times in: their own, else the
    desk's default. Times are stored in UTC whatever it is."""
    profile = DeskProfile.objects.filter(user=user).first() if user.is_authenticated else None
    return zoneinfo.ZoneInfo(profile.time_zone if profile and profile.time_zone else setting("PICDESK_TIME_ZONE"))


class SignInAttempts(models.Model):
    """Sign-in attempts counted per client (an address, a user name) and
    window (desk.signin_lock). In the database, not a cache: a cache drops
    entries to make room, and an attacker can make it."""

    client = models.CharField(max_length=80)  # "addr:…" or "user:" + a digest of the name
    window = models.BigIntegerField()  # the window's number since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "window"], name="one_count_per_client_window")]
        indexes = [models.Index(fields=["window"], name="sign_in_attempts_by_window")]
