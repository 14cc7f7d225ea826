"""The lock on guessing passwords: at most PICDESK_LOGIN_FAILURES sign-ins
per client address, and per user name, in the last PICDESK_LOGIN_WINDOW seconds.

Attempts are counted in fixed windows, and the last window's count is weighed
by how much of it is still within the last PICDESK_LOGIN_WINDOW seconds (a
sliding window), so guesses made just before a window ends still count after
it: a fixed window alone would forget them at its boundary.

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


def _left_of_last_window() -> float:
    """How much of the last window is within the last window's length of now."""
    return 1 - (time.time() / setting("PICDESK_LOGIN_WINDOW")) % 1


def take_attempt(request) -> bool:
    """Count this attempt; False when a client is over its allowance (the
    password must then not be checked)."""
    window, allowed = _window(), setting("PICDESK_LOGIN_FAILURES")
    names = clients(request)
    counts = [_count(client, window) for client in names]
    last = dict(SignInAttempts.objects.filter(client__in=names, window=window - 1)
                .values_list("client", "count"))
    weight = _left_of_last_window()
    SignInAttempts.objects.filter(window__lt=window - 1).delete()
    return all(count + last.get(client, 0) * weight <= allowed
               for client, count in zip(names, counts))


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
