"""The audit log: who did what, when, to which photo or slideshow.

Every layer writes to it (ingest records an arrival, the scheduler a
publication, the desk an edit), so it sits below them all and names the
models it points at by label only, importing none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: the entry outlives a deleted account.
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    photo = models.ForeignKey(
        "photos.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    slideshow = models.ForeignKey(
        "slideshows.Slideshow", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action}"


@dataclass(frozen=True)
class Actor:
    """Who makes a change and by which channel, for the audit log: the channel
    ("desk", "api", "cli", "ftp", "hot folder", "rule", "demo", ...), the desk
    account, if any, and what else names the sender (an API token, a rule)."""

    channel: str = "cli"
    user: object = None
    sender: str = ""

    def via(self) -> str:
        """How the entry says who it was, beside the account: empty for the desk."""
        if self.channel == "desk":
            return ""
        return " ".join(filter(None, [f"via {self.channel}", self.sender]))


def record(user, action: str, *, photo=None, slideshow=None, detail: str = "") -> AuditEntry:
    """Add an entry; ``user`` may be None for the system (the scheduler, the
    command line, an API token: ``detail`` then says which), or an ``Actor``."""
    if isinstance(user, Actor):
        detail = " · ".join(filter(None, [detail, user.via()]))
        user = user.user
    who = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        user=who, username=who.get_username() if who else "", action=action,
        photo=photo, slideshow=slideshow, detail=detail,
    )
