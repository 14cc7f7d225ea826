"""Purging shared caches by surrogate key when what they hold changes.

``purge(keys)`` is an effect (picdesk.core.effects): it runs once the current
transaction commits, with every other key the transaction purges: the page
cache inside picdesk always (``picdesk.core.pagecache``), then the HTTP cache in front,
by PICDESK_PURGER:

- ``varnish``: ``PURGE`` with an ``xkey-purge`` header to each of
  PICDESK_PURGE_URLS (the VCL in deploy/varnish/ accepts it from the
  addresses it lists);
- ``fastly``: POST /service/{PICDESK_PURGE_SERVICE}/purge with the keys in
  ``Surrogate-Key`` and the API key in ``Fastly-Key`` (Fastly's "purge
  multiple surrogate keys");
- ``cloudflare``: POST /client/v4/zones/{PICDESK_PURGE_SERVICE}/purge_cache
  with ``{"tags": [...]}`` and a bearer token (Cloudflare's purge by cache tag).

For the two services PICDESK_PURGE_URLS, when set, replaces their API's
address. A purge that fails is handed to the workers, which retry it (a
stale page is not acceptable, a late purge less bad than none).
"""

from __future__ import annotations

import json
import logging
import urllib.request

from django_tasks import task

from picdesk.core import effects
from picdesk.core.config import setting
from picdesk.core.metrics import PURGE_FAILURES
from picdesk.core.pagecache import UNAVAILABLE, purge_pages

logger = logging.getLogger(__name__)

API = {"fastly": "https://api.fastly.com", "cloudflare": "https://api.cloudflare.com"}
TIMEOUT = 5
CLOUDFLARE_TAGS_PER_CALL = 30  # Cloudflare's limit on tags in one purge


def purge(keys) -> None:
    """Purge every cached document that shows any of ``keys``: picdesk's
    pages now and once the current transaction commits (those rendered
    while it was being made), the HTTP caches once it commits (at once
    outside a transaction)."""
    keys = set(keys)
    if keys:
        try:
            purge_pages(keys)
        except UNAVAILABLE:  # the change goes on: its effect tries again once it commits
            pass
        effects.declare("purge", keys)


def purge_now(keys) -> None:
    """The "purge" effect: the page cache, then the HTTP cache in front. What
    fails is said, counted and handed to the workers."""
    keys = sorted(keys)
    try:
        purge_pages(keys)
        if setting("PICDESK_PURGER"):
            purge_http_caches(keys)
    except UNAVAILABLE as error:
        PURGE_FAILURES.inc()
        logger.error("purge of %s failed (%s); the workers will retry it", " ".join(keys), error)
        _retry_later(keys)


def _retry_later(keys: list[str]) -> None:
    try:
        purge_later.enqueue(keys)
    except UNAVAILABLE as error:  # a broker on the Redis that is down
        logger.error("purge of %s could not be queued either (%s): this process makes it when the "
                     "page cache answers again", " ".join(keys), error)


@task()
def purge_later(keys: list[str]) -> int:
    """A purge that failed when it was asked for; raising makes the worker try again."""
    purge_pages(keys)
    if setting("PICDESK_PURGER"):
        purge_http_caches(keys)
    return len(keys)


def purge_http_caches(keys: list[str]) -> None:
    """Send the purge to the HTTP cache PICDESK_PURGER names; OSError if it fails."""
    purger = setting("PICDESK_PURGER")
    for request in REQUESTS[purger](keys):
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()


def _varnish(keys: list[str]) -> list[urllib.request.Request]:
    return [
        urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
        for url in setting("PICDESK_PURGE_URLS")
    ]


def _api(service: str) -> str:
    urls = setting("PICDESK_PURGE_URLS")
    return (urls[0] if urls else API[service]).rstrip("/")


def _fastly(keys: list[str]) -> list[urllib.request.Request]:
    url = f"{_api('fastly')}/service/{setting('PICDESK_PURGE_SERVICE')}/purge"
    headers = {"Fastly-Key": setting("PICDESK_PURGE_TOKEN"), "Surrogate-Key": " ".join(keys),
               "Accept": "application/json"}
    return [urllib.request.Request(url, method="POST", headers=headers)]


def _cloudflare(keys: list[str]) -> list[urllib.request.Request]:
    url = f"{_api('cloudflare')}/client/v4/zones/{setting('PICDESK_PURGE_SERVICE')}/purge_cache"
    headers = {"Authorization": f"Bearer {setting('PICDESK_PURGE_TOKEN')}", "Content-Type": "application/json"}
    return [
        urllib.request.Request(url, method="POST", headers=headers,
                               data=json.dumps({"tags": keys[at:at + CLOUDFLARE_TAGS_PER_CALL]}).encode())
        for at in range(0, len(keys), CLOUDFLARE_TAGS_PER_CALL)
    ]


REQUESTS = {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}
