"""Embedding slideshows on other sites: an oEmbed endpoint (type "rich") and
the iframe player it points to, the only page that may be framed."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from picdesk.core.caching import revalidated, tag_slideshows
from picdesk.core.config import setting
from picdesk.core.pagecache import cached_page
from picdesk.reader.shown import shown_photos
from picdesk.reader.structured_data import social_image
from picdesk.slideshows.models import Slide, Slideshow

DEFAULT_WIDTH, DEFAULT_HEIGHT = 640, 480
# The player's controls and caption need this much; a consumer's maxwidth
# or maxheight below it answers 501, as the oEmbed spec asks of a provider
# that cannot fit.
SMALLEST = 120


def oembed_url(request, page_url: str) -> str:
    """The absolute discovery address of ``page_url``'s oEmbed (pages link it)."""
    return request.build_absolute_uri(f"{reverse('reader:oembed')}?{urlencode({'url': page_url})}")


@require_safe
@xframe_options_exempt
@cached_page
def player(request, slug: str):
    show = get_object_or_404(Slideshow.objects.live(), slug=slug)
    tag_slideshows([show])
    slides = list(Slide.objects.filter(slideshow=show).select_related("photo"))
    shown = shown_photos([slide.photo for slide in slides])
    response = render(
        request, "reader/embed.html",
        {"slideshow": show, "slides": [(slide, shown[slide.photo_id]) for slide in slides]},
    )
    # Any site may frame the player (and nothing else: every other page keeps
    # X-Frame-Options: DENY).
    response["Content-Security-Policy"] = "frame-ancestors *"
    return revalidated(response)


@require_safe
def oembed(request):
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "only the json format is offered"}, status=501)
    show = _slideshow_for(request, request.GET.get("url", ""))
    try:
        width = _bounded(request.GET.get("maxwidth"), DEFAULT_WIDTH)
        height = _bounded(request.GET.get("maxheight"), DEFAULT_HEIGHT)
    except TooSmall as exc:
        return JsonResponse({"error": str(exc)}, status=501)
    src = request.build_absolute_uri(reverse("reader:embed", kwargs={"slug": show.slug}))
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'style="border:0" allowfullscreen></iframe>',
        src, width, height, show.title,
    )
    body = {
        "version": "1.0",
        "type": "rich",
        "html": str(html),
        "width": width,
        "height": height,
        "title": show.title,
        "provider_name": setting("PICDESK_SITE_NAME"),
        "provider_url": request.build_absolute_uri(reverse("reader:home")),
    }
    first = Slide.objects.filter(slideshow=show).select_related("photo").first()
    if first:
        image = social_image(request, first.photo)
        body |= {"thumbnail_url": image["url"], "thumbnail_width": image["width"],
                 "thumbnail_height": image["height"]}
    return JsonResponse(body)


def _slideshow_for(request, url: str) -> Slideshow:
    """The live slideshow a URL of this site points at (its page or a photo page)."""
    try:
        parts = urlsplit(url)
        match = resolve(parts.path)
    except (Resolver404, ValueError):  # ValueError: not a URL at all (a malformed IPv6 host)
        raise Http404("Not a slideshow of this site") from None
    if parts.netloc.lower() != request.get_host().lower():
        raise Http404("Not a slideshow of this site: another host")
    if match.view_name not in {"reader:slideshow", "reader:photo"}:
        raise Http404("Not a slideshow of this site")
    return get_object_or_404(Slideshow.objects.live(), slug=match.kwargs["slug"])


class TooSmall(ValueError):
    pass


def _bounded(value: str | None, default: int) -> int:
    try:
        asked = int(value) if value else default
    except ValueError:
        return default
    if asked < SMALLEST:
        raise TooSmall(f"the player needs at least {SMALLEST} px; {asked} px was asked for")
    return min(asked, default)
