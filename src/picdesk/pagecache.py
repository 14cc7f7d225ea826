"""The page cache: public documents kept whole in Django's "pages" cache (files
in the home on the embedded default, shared by the server and its workers;
Redis with PICDESK_CACHE_URL, shared by every web process), invalidated
exactly by surrogate key (``picdesk.caching``).

Invalidation is by purge epochs rather than by finding each page: a purge
numbers itself (one counter) and records that number against each key it
purges; a page remembers the epoch at which its rendering *started*. A page
is stale when any of its keys was purged at a later epoch than that, which
also catches a page rendered from data that changed while it was being
rendered. The record of purges only needs to reach back as far as a page
can live (``s-maxage``), so it stays small; a hit costs one read of the page
and one of that record.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from django.core.cache import caches
from django.http import HttpResponse

from picdesk.caching import surrogate_keys, write_keys
from picdesk.config import setting

CACHE = "pages"
PURGES = "purges"  # {key: (epoch, when)}, and "" -> the last epoch
LOCK = "purges:lock"
KEPT_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Surrogate-Key", "Cache-Tag",
                "Content-Language", "X-Robots-Tag", "Link", "Content-Security-Policy")


@dataclass
class StoredPage:
    epoch: int
    status: int
    headers: dict[str, str]
    content: bytes
    keys: list[str]
    frameable: bool = False  # Django's xframe_options_exempt: the embed player


def _purges(found: dict | None = None) -> dict:
    """The purge record, from ``found`` (a get_many that asked for it) or the cache."""
    record = found.get(PURGES) if found is not None else caches[CACHE].get(PURGES)
    return record or {"": 0}


def cached_page(view):
    """Serve ``view``'s public GET responses from the page cache; render and
    store them on a miss. Only public answers with surrogate keys are kept
    (a page says what it shows, or it is not cached)."""

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        cache = caches[CACHE]
        # Hashed: a path may be longer than a cache key may be.
        key = "page:" + hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
        found = cache.get_many([key, PURGES])
        purges = _purges(found)
        if (page := found.get(key)) and not _stale(page, purges):
            return _response(page)
        started = purges[""]
        response = view(request, *args, **kwargs)
        write_keys(response, surrogate_keys(response))
        if _storable(response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            stored = StoredPage(started, response.status_code, headers, response.content, surrogate_keys(response),
                                getattr(response, "xframe_options_exempt", False))
            cache.set(key, stored, setting("PICDESK_SHARED_MAX_AGE"))
        return response

    return serve


def _storable(response) -> bool:
    return (response.status_code in (200, 404, 410) and not response.streaming
            and "public" in response.get("Cache-Control", "") and bool(response.get("Surrogate-Key")))


def _stale(page: StoredPage, purges: dict) -> bool:
    return any(purges.get(k, (0,))[0] > page.epoch for k in page.keys)


def _response(page: StoredPage) -> HttpResponse:
    response = HttpResponse(page.content, status=page.status)
    for name, value in page.headers.items():
        response[name] = value
    response.xframe_options_exempt = page.frameable
    return response


def purge_pages(keys) -> None:
    """Make every stored page that shows any of ``keys`` stale, in every
    process that shares the cache."""
    keys = set(keys)
    if not keys:
        return
    cache = caches[CACHE]
    with _locked(cache):
        purges = _purges()
        epoch = purges[""] + 1
        now = time.time()
        oldest = now - setting("PICDESK_SHARED_MAX_AGE")
        purges = {k: v for k, v in purges.items() if k == "" or v[1] >= oldest}
        purges.update({k: (epoch, now) for k in keys})
        purges[""] = epoch
        cache.set(PURGES, purges, None)


class _locked:
    """A lock on the purge record among every process sharing the cache
    (``add`` is atomic in each of Django's caches); a holder that died
    leaves it for at most ten seconds."""

    def __init__(self, cache):
        self.cache = cache

    def __enter__(self):
        deadline = time.monotonic() + 10
        while not self.cache.add(LOCK, 1, timeout=10) and time.monotonic() < deadline:
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.cache.delete(LOCK)
