"""The site as a whole: its name and description on every page (a context
processor), its icons, and the web app manifest that names them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from picdesk.core.config import setting

ICONS = "reader/icons/"
ONE_DAY = 24 * 3600


@dataclass(frozen=True)
class Site:
    name: str
    description: str


def site(request) -> dict:
    return {"site": Site(setting("PICDESK_SITE_NAME"), setting("PICDESK_SITE_DESCRIPTION"))}


@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for on their own
    whatever a page links to: the icon itself, never a 404."""
    path = finders.find(ICONS + "favicon.ico")
    if path is None:
        raise Http404("No icon")
    response = FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = f"public, max-age={ONE_DAY}"
    return response


@require_safe
def manifest(request):
    """The web app manifest: what a phone shows when a reader adds the site to
    the home screen."""
    name = setting("PICDESK_SITE_NAME")
    icons = [
        {"src": static(f"{ICONS}icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ] + [{"src": static(f"{ICONS}icon.svg"), "sizes": "any", "type": "image/svg+xml"}]
    body = {
        "name": name,
        "short_name": name[:12],
        "description": setting("PICDESK_SITE_DESCRIPTION"),
        "start_url": reverse("reader:home"),
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#1d3557",
        "icons": icons,
    }
    response = JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={ONE_DAY}"
    return response
