"""How public documents may be cached: reader pages, embeds, feeds and the API.

Any cache may store them, but must revalidate on every use (``no-cache``): a
kill or a correction then shows at once, while an unchanged document costs a
304 (ETags come from ConditionalGetMiddleware, or ``reader.views.reader_page``).
"""

from django.http import HttpResponse

REVALIDATED = "public, no-cache"


def revalidated(response: HttpResponse) -> HttpResponse:
    """``response``, marked cacheable by anyone, revalidated on every use."""
    response["Cache-Control"] = REVALIDATED
    return response
