"""The lock on guessing passwords: at most PICDESK_LOGIN_FAILURES sign-ins
per client address, and per user name, in PICDESK_LOGIN_WINDOW seconds.

Each attempt is counted *before* its password is checked, in one atomic
UPDATE, so parallel tries cannot all slip in before the count; a sign-in that
succeeds gives its attempt back. The user name is counted as Django
authenticates it (stripped, NFKC-normalised), case-folded besides, so
" victim", "victim " and "ｖictim" are one name. Counts live in the
database (desk.models.SignInAttempts), where nothing evicts them.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata

from django.db import IntegrityError, transaction
from django.db.models import F

from picdesk.core import ratelimit
from picdesk.core.config import setting
from picdesk.desk.models import SignInAttempts


def clients(request) -> list[str]:
    """Who an attempt counts against: its address and its user name."""
    name = unicodedata.normalize("NFKC", request.POST.get("username", "")).strip().casefold()
    return [f"addr:{ratelimit.client_address(request)}"[:80],
            f"user:{hashlib.sha256(name.encode()).hexdigest()}"]


def _window() -> int:
    return int(time.time() // setting("PICDESK_LOGIN_WINDOW"))


def take_attempt(request) -> bool:
    """Count this attempt; False when a client is over its allowance (the
    password must then not be checked)."""
    window, allowed = _window(), setting("PICDESK_LOGIN_FAILURES")
    counts = [_count(client, window) for client in clients(request)]
    SignInAttempts.objects.filter(window__lt=window - 1).delete()
    return all(count <= allowed for count in counts)


def give_back(request) -> None:
    """A sign-in that succeeded was no guess."""
    SignInAttempts.objects.filter(client__in=clients(request), window=_window(), count__gt=0).update(
        count=F("count") - 1)


def _count(client: str, window: int) -> int:
    """One more for ``client`` in ``window``, atomically; returns the new count."""
    for _ in range(2):
        with transaction.atomic():
            attempts = SignInAttempts.objects.filter(client=client, window=window)
            if attempts.update(count=F("count") + 1):
                return attempts.values_list("count", flat=True).get()
        try:
            with transaction.atomic():
                SignInAttempts.objects.create(client=client, window=window, count=1)
                return 1
        except IntegrityError:
            continue  # made meanwhile by a parallel attempt: count in it
    raise RuntimeError("cannot count a sign-in attempt")
