"""How public documents may be cached: reader pages, embeds, feeds, sitemaps,
the API and renditions, and the surrogate keys that say what each one shows.

Browsers revalidate on every use (``max-age=0``: a kill or a correction
shows at once, an unchanged document costs a 304 on its ETag); shared caches
(picdesk's page cache, Varnish, a CDN) keep them for
PICDESK_SHARED_MAX_AGE seconds (``s-maxage``), and picdesk purges them by
key the moment something they show changes (``picdesk.core.purging``).

The keys: ``s<id>`` for each slideshow a document shows (its page, or its card
in a list or a rail), ``p<id>`` for each photo, and ``listings`` for every
document whose list of slideshows a publication can change. Code that shows
something says so with ``tag()``; ``SurrogateKeysMiddleware`` writes the
keys into the response, as ``Surrogate-Key`` (Varnish's VCL in deploy/ reads
it into ``xkey``; Fastly reads it as it is) and ``Cache-Tag`` (Cloudflare).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpResponse

from picdesk.core.config import setting

LISTINGS = "listings"
_collected: ContextVar[set[str] | None] = ContextVar("surrogate_keys", default=None)


def slideshow_key(pk: int) -> str:
    return f"s{pk}"


def photo_key(pk: int) -> str:
    return f"p{pk}"


def tag(*keys: str) -> None:
    """Say that the document being made shows what ``keys`` name."""
    if (collected := _collected.get()) is not None:
        collected.update(keys)


def tag_slideshows(shows) -> None:
    tag(*(slideshow_key(show.pk) for show in shows))


def tag_photos(photos) -> None:
    tag(*(photo_key(photo.pk) for photo in photos))


def shared_cache_control() -> str:
    return f"public, max-age=0, s-maxage={setting('PICDESK_SHARED_MAX_AGE')}"


def revalidated(response: HttpResponse) -> HttpResponse:
    """``response``, kept by shared caches until purged, revalidated by browsers."""
    response["Cache-Control"] = shared_cache_control()
    return response


def surrogate_keys(response: HttpResponse) -> list[str]:
    """The keys of ``response``: those it carries, else those collected so far."""
    return response.get("Surrogate-Key", "").split() or sorted(_collected.get() or ())


def write_keys(response: HttpResponse, keys) -> None:
    """Put ``keys`` into a public ``response``'s headers."""
    if keys and "public" in response.get("Cache-Control", ""):
        response["Surrogate-Key"] = " ".join(sorted(keys))
        response["Cache-Tag"] = ",".join(sorted(keys))


# Never in a shared cache: the desk and the admin answer each person alone.
PRIVATE_PATHS = ("/desk/", "/admin/")


def cacheable_absence(request, response: HttpResponse, keys: set[str]) -> None:
    """A 404 or 410 from a public address, without headers of its own, is
    cached like any document (left to the HTTP cache's default, Varnish kept
    it two minutes that no purge reached) and carries ``listings``: whatever
    can make it live (a publication, a photo added to a live slideshow)
    purges that key."""
    if (response.status_code in (404, 410) and request.method in ("GET", "HEAD")
            and "Cache-Control" not in response and not request.path.startswith(PRIVATE_PATHS)):
        revalidated(response)
        keys.add(LISTINGS)


class SurrogateKeysMiddleware:
    """Collects the keys of each request's document and writes them into a
    public response's headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _collected.set(set())
        try:
            response = self.get_response(request)
            keys = _collected.get()
        finally:
            _collected.reset(token)
        cacheable_absence(request, response, keys)
        if "Surrogate-Key" not in response:  # a page from the cache has its own
            write_keys(response, keys)
        return response
