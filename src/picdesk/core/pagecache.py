"""The page cache: public documents kept whole in Django's "pages" cache (files
in the home on the embedded default, shared by the server and its workers;
Redis with PICDESK_CACHE_URL, shared by every web process), invalidated
exactly by surrogate key (``picdesk.core.caching``).

Invalidation is by purge epochs rather than by finding each page: a purge
numbers itself (one counter) and records that number against each key it
purges; a page remembers the epoch at which its rendering *started*. A page
is stale when any of its keys was purged at a later epoch than that, which
also catches a page rendered from data that changed while it was being
rendered. The record of purges only needs to reach back as far as a page
can live (``s-maxage``), so it stays small; a hit costs one read of the page
and one of that record.

Two things keep it exact. The record carries a random generation, which each
page stores: a record lost (Django's file cache culls entries at random when
full) comes back with a new one, and every page stored before is stale. And
only one process at a time changes the record: the file cache's ``add`` is
check-then-set, so there the lock is a lock on a file (``flock``); Redis's
``add`` is atomic. Pages are keyed by the full address, host included: a
request with another ``Host`` gets a page of its own, never the readers'.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import secrets
import time
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpResponse

from picdesk.core.caching import surrogate_keys, write_keys
from picdesk.core.config import setting
from picdesk.core.metrics import PAGE_CACHE

logger = logging.getLogger(__name__)

# What "the cache does not answer" looks like: Redis' errors (the connection
# refused, a timeout), or the file cache's folder gone.
UNAVAILABLE = (redis.exceptions.RedisError, OSError)
# Keys whose purge this process could not record (``purge_pages``).
LOST_PURGES: set[str] = set()

CACHE = "pages"
PURGES = "purges"  # {key: (epoch, when)}, "" -> the last epoch, GENERATION -> the record's
GENERATION = "generation"
LOCK = "purges:lock"
EVERY_PAGE = "*"  # a key every stored page is taken to show: purged, it empties the cache
KEPT_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Surrogate-Key", "Cache-Tag",
                "Content-Language", "X-Robots-Tag", "Link", "Content-Security-Policy", "Surrogate-Control", "Vary")


@dataclass
class StoredPage:
    epoch: int
    status: int
    headers: dict[str, str]
    content: bytes
    keys: list[str]
    frameable: bool = False  # Django's xframe_options_exempt: the embed player
    generation: str = ""


def _purges(found: dict | None = None) -> dict:
    """The purge record, from ``found`` (a get_many that asked for it) or the
    cache; a new one (a new generation) where there is none."""
    record = found.get(PURGES) if found is not None else caches[CACHE].get(PURGES)
    if record and GENERATION in record:
        return record
    caches[CACHE].add(PURGES, {"": 0, GENERATION: secrets.token_hex(8)}, None)
    return caches[CACHE].get(PURGES) or {"": 0, GENERATION: ""}


def cached_page(view=None, *, variant=None):
    """Serve ``view``'s public GET responses from the page cache; render and
    store them on a miss. Only public answers with surrogate keys are kept
    (a page says what it shows, or it is not cached). ``variant(request)``
    names what else than the address picks the answer (a version negotiated
    from Accept, which the view says in Vary): a page is kept per variant."""
    if view is None:
        return lambda view: cached_page(view, variant=variant)

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        cache = caches[CACHE]
        key = page_key(request.build_absolute_uri() + (f" {variant(request)}" if variant else ""))
        try:
            replay_lost_purges()
            found = cache.get_many([key, PURGES])
            purges = _purges(found)
        except UNAVAILABLE as error:
            # The cache is down: every page is rendered, none stored, till it is back.
            PAGE_CACHE.labels("unavailable").inc()
            logger.warning("the page cache does not answer (%s): rendering %s", error, request.path)
            response = view(request, *args, **kwargs)
            write_keys(response, surrogate_keys(response))
            return response
        if (page := found.get(key)) and not _stale(page, purges):
            PAGE_CACHE.labels("hit").inc()
            return _response(page)
        PAGE_CACHE.labels("miss").inc()
        started = purges[""]
        response = view(request, *args, **kwargs)
        write_keys(response, surrogate_keys(response))
        if _storable(response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            stored = StoredPage(started, response.status_code, headers, response.content, surrogate_keys(response),
                                getattr(response, "xframe_options_exempt", False), purges[GENERATION])
            try:
                cache.set(key, stored, setting("PICDESK_SHARED_MAX_AGE"))
            except UNAVAILABLE as error:
                logger.warning("the page cache does not answer (%s): %s not stored", error, request.path)
        return response

    return serve


# What every page shows whatever its address: a page kept under one look is
# never served after a restart with another (name, colour, logo, theme).
LOOK_SETTINGS = ("PICDESK_SITE_NAME", "PICDESK_SITE_DESCRIPTION", "PICDESK_ACCENT_COLOR", "PICDESK_SITE_LOGO",
                 "PICDESK_THEME_DIR")


def site_look() -> str:
    look = [os.environ.get(name, "") for name in LOOK_SETTINGS]
    logo = os.environ.get("PICDESK_SITE_LOGO", "")
    with contextlib.suppress(OSError):
        look.append(str(os.stat(logo).st_mtime_ns) if logo else "")
    return " " + "\0".join(look)


def page_key(address: str) -> str:
    """Where the page at ``address`` (a full URL) is kept under the site's
    present look; hashed, since an address may be longer than a cache key may be."""
    return "page:" + hashlib.blake2b((address + site_look()).encode(), digest_size=16).hexdigest()


def _storable(response) -> bool:
    return (response.status_code in (200, 404, 410) and not response.streaming
            and "public" in response.get("Cache-Control", "") and bool(response.get("Surrogate-Key")))


def _stale(page: StoredPage, purges: dict) -> bool:
    if page.generation != purges[GENERATION] or not page.generation:
        return True
    return any(purges.get(k, (0,))[0] > page.epoch for k in (*page.keys, EVERY_PAGE))


def _response(page: StoredPage) -> HttpResponse:
    response = HttpResponse(page.content, status=page.status)
    for name, value in page.headers.items():
        response[name] = value
    response.xframe_options_exempt = page.frameable
    return response


def purge_pages(keys) -> None:
    """Make every stored page that shows any of ``keys`` stale, in every
    process that shares the cache. Where the cache does not answer, the keys
    are kept, and purged before this process next reads the cache (and
    UNAVAILABLE is raised, for the caller to say so)."""
    keys = set(keys)
    if not keys:
        return
    try:
        _record_purge(keys)
    except UNAVAILABLE:
        LOST_PURGES.update(keys)
        raise


def replay_lost_purges() -> None:
    """The purges this process could not make while the cache was down."""
    if LOST_PURGES:
        keys = set(LOST_PURGES)
        _record_purge(keys)
        LOST_PURGES.difference_update(keys)
        logger.warning("the page cache answers again: %d key(s) it missed are purged", len(keys))


def _record_purge(keys: set[str]) -> None:
    cache = caches[CACHE]
    with _locked(cache):
        purges = _purges()
        epoch = purges[""] + 1
        now = time.time()
        oldest = now - setting("PICDESK_SHARED_MAX_AGE")
        purges = {k: v for k, v in purges.items() if k in ("", GENERATION) or v[1] >= oldest}
        purges.update({k: (epoch, now) for k in keys})
        purges[""] = epoch
        cache.set(PURGES, purges, None)


class _locked:
    """A lock on the purge record among every process sharing the cache. A
    holder that died leaves it at once (a file lock) or after ten seconds
    (the cache entry that is the lock elsewhere)."""

    def __init__(self, cache):
        self.cache = cache
        self.file = None

    def __enter__(self):
        if isinstance(self.cache, FileBasedCache):
            folder = Path(settings.CACHES[CACHE]["LOCATION"])
            folder.mkdir(parents=True, exist_ok=True)
            self.file = open(folder / "purges.lock", "ab")
            fcntl.flock(self.file, fcntl.LOCK_EX)
            return
        deadline = time.monotonic() + 10
        while not self.cache.add(LOCK, 1, timeout=10) and time.monotonic() < deadline:
            time.sleep(0.005)

    def __exit__(self, *exc):
        if self.file is not None:
            self.file.close()  # which releases the lock
        else:
            self.cache.delete(LOCK)
