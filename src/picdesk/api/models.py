"""API tokens: how the desk's automation and partners authenticate.

Each token has scopes: ``read`` (the original files, byte for byte, of
photos readers can see), ``upload`` (send photos, make draft slideshows) and
``publish`` (make slideshows that publish or are scheduled). A token may
expire, and is revoked rather than deleted, so the audit log keeps naming it.
Made, listed and revoked with ``picdesk tokens``.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

from picdesk.api.scopes import DEFAULT_SCOPES, SCOPES


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored: a database leak leaks no token."""

    name = models.CharField(max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.CharField(max_length=40, default=",".join(DEFAULT_SCOPES))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, name: str, scopes=DEFAULT_SCOPES, expires_at=None) -> tuple[ApiToken, str]:
        """A new token and its key, which is shown once and never again.
        ValueError for an unknown scope."""
        unknown = set(scopes) - set(SCOPES)
        if unknown or not scopes:
            raise ValueError(f"scopes are {', '.join(SCOPES)}; not {', '.join(sorted(unknown)) or 'none'}")
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, key_hash=digest(key), expires_at=expires_at,
                                   scopes=",".join(s for s in SCOPES if s in scopes))
        return token, key

    @classmethod
    def for_key(cls, key: str) -> ApiToken | None:
        """The token with this key, if it may still be used."""
        token = cls.objects.filter(key_hash=digest(key)).first()
        return token if token is not None and token.usable else None

    @property
    def sender(self) -> str:
        """How the record names what the token sends (photos.Photo.sender)."""
        return f"token {self.name}"

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def allows(self, scope: str) -> bool:
        return scope in self.scopes.split(",")

    def mark_used(self) -> None:
        """When it was last used: operators revoke tokens nobody uses."""
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=timezone.now())

    def revoke(self) -> None:
        ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
