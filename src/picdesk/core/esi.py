"""Edge-side includes: a page that holds a part changing more often than it
(the More in Pictures rail, which every publication changes) names that part
by address, and it is cached and purged apart. A publication then makes one
small fragment stale, not every page that shows it.

Varnish assembles such pages itself (deploy/varnish/picdesk.vcl says so in
``Surrogate-Capability`` and turns ESI on where ``Surrogate-Control`` asks).
Served by picdesk directly, ``EdgeSideIncludesMiddleware`` puts each
fragment in before the response leaves, from the page cache where it is
there: the stored page keeps its include, so both ways share one copy.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.urls import resolve
from django.utils.html import format_html
from django.utils.safestring import SafeString

from picdesk.core.caching import write_keys

SURROGATE_CONTROL = 'content="ESI/1.0"'
INCLUDE = re.compile(rb'<esi:include src="(/[^"?#]*)"\s*/>')


def include_tag(path: str) -> SafeString:
    return format_html('<esi:include src="{}"/>', path)


def with_includes(response: HttpResponse) -> HttpResponse:
    """Mark ``response`` as holding includes for whoever assembles it."""
    response["Surrogate-Control"] = SURROGATE_CONTROL
    return response


def surrogate_assembles(request: HttpRequest) -> bool:
    """Whether the request came through a cache that assembles includes."""
    return "ESI/1.0" in request.headers.get("Surrogate-Capability", "")


class EdgeSideIncludesMiddleware:
    """Assembles a page's includes where no surrogate will. The page's keys
    gain its fragments' (a CDN that cannot assemble then purges the whole
    page with them); its ETag is computed afterwards, from what is sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Surrogate-Control") != SURROGATE_CONTROL or response.streaming:
            return response
        if surrogate_assembles(request):
            return response
        del response["Surrogate-Control"]
        keys = set(response.get("Surrogate-Key", "").split())
        response.content = INCLUDE.sub(lambda found: self._fragment(request, found[1].decode(), keys),
                                       response.content)
        write_keys(response, keys)
        return response

    def _fragment(self, request, path: str, keys: set[str]) -> bytes:
        """The body of the fragment at ``path``, as a GET of it would answer
        (nothing where that is not a 200)."""
        fragment = HttpRequest()
        fragment.method = "GET"
        fragment.path = fragment.path_info = path
        fragment.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": "", "REQUEST_METHOD": "GET"}
        match = resolve(path)
        answer = match.func(fragment, *match.args, **match.kwargs)
        if answer.status_code != 200:
            return b""
        keys.update(answer.get("Surrogate-Key", "").split())
        return answer.content
