"""Per-client rate limits for the expensive or abusable endpoints (search,
uploads, API writes, failed logins): a fixed one-minute window counted in
Django's cache (Redis, shared by every web process, where PICDESK_CACHE_URL
names one), answering 429 with Retry-After once the client has used its
allowance. The client is the connection's address, or the one a trusted
proxy passes in PICDESK_TRUSTED_PROXY_HEADER."""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from picdesk.core.config import setting
from picdesk.core.pagecache import UNAVAILABLE

logger = logging.getLogger(__name__)

WINDOW = 60


def client_address(request) -> str:
    """The reader's address: behind a trusted proxy the one it passes on (of
    X-Forwarded-For, the last: the address the proxy itself saw; those before
    it are whatever the client chose to send), else the connection's."""
    header = setting("PICDESK_TRUSTED_PROXY_HEADER")
    if header:
        passed = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if address := passed.split(",")[-1].strip():
            return address
    return request.META.get("REMOTE_ADDR", "")


def _key(name: str, client: str, window: int) -> str:
    return f"ratelimit:{name}:{client}:{int(time.time() // window)}"


def count(name: str, client: str, window: int = WINDOW) -> int:
    """Add one to ``client``'s count for ``name`` in this window; returns it.
    While the cache does not answer nobody is counted (0): readers keep
    searching through a Redis outage, and the sign-in lock, which must hold,
    counts in the database (``desk.signin_lock``)."""
    key = _key(name, client, window)
    try:
        cache.add(key, 0, timeout=window + 10)
        return cache.incr(key)
    except UNAVAILABLE as error:
        logger.warning("rate limits are not counted: the cache does not answer (%s)", error)
        return 0


def used(name: str, client: str, window: int = WINDOW) -> int:
    """How many ``client`` used in this window, without counting one more."""
    try:
        return cache.get(_key(name, client, window), 0)
    except UNAVAILABLE:
        return 0


def too_many_requests(window: int = WINDOW, what: str = "Too many requests") -> HttpResponse:
    wait = window - int(time.time()) % window
    response = HttpResponse(f"{what}; try again in {wait} seconds.\n", status=429,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def rate_limited(name: str, setting_name: str):
    """Allow each client address ``setting(setting_name)`` requests a minute."""

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if count(name, client_address(request)) > setting(setting_name):
                return too_many_requests()
            return view(request, *args, **kwargs)

        return limited

    return decorate
