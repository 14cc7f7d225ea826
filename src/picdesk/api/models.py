"""API tokens: how the desk's automation authenticates to write."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored: a database leak leaks no token."""

    name = models.CharField(max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, name: str) -> tuple[ApiToken, str]:
        """A new token and its key, which is shown once and never again."""
        key = secrets.token_urlsafe(32)
        return cls.objects.create(name=name, key_hash=digest(key)), key

    @classmethod
    def for_key(cls, key: str) -> ApiToken | None:
        return cls.objects.filter(key_hash=digest(key)).first()

    def mark_used(self) -> None:
        """When it was last used: operators revoke tokens nobody uses."""
        from django.utils import timezone

        ApiToken.objects.filter(pk=self.pk).update(last_used_at=timezone.now())
