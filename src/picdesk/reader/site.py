"""The site as a whole: its name, description, logo and colour on every page
(a context processor), its icons, and the web app manifest that names them."""

from __future__ import annotations

import logging
import mimetypes
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from picdesk.core.config import setting

logger = logging.getLogger(__name__)
ICONS = "reader/icons/"
ONE_DAY = 24 * 3600


LOGO_HEIGHT = 32  # CSS pixels, as the masthead shows it


@dataclass(frozen=True)
class Logo:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Site:
    name: str
    description: str
    accent: str
    accent_ink: str  # black or white, whichever reads better on the accent
    logo: Logo | None


def site(request) -> dict:
    accent = setting("PICDESK_ACCENT_COLOR")
    return {"site": Site(setting("PICDESK_SITE_NAME"), setting("PICDESK_SITE_DESCRIPTION"), accent,
                         ink_on(accent), _current_logo())}


def _logo_file() -> Path | None:
    """The logo file as it is now; None, logged, when it went away after the
    start-up check passed (a deploy that moved it): pages stay up, nameplate alone."""
    try:
        return setting("PICDESK_SITE_LOGO")
    except ValueError:
        logger.error("PICDESK_SITE_LOGO %s is gone: the masthead shows the name alone",
                     os.environ.get("PICDESK_SITE_LOGO"))
        return None


def _current_logo() -> Logo | None:
    path = _logo_file()
    try:
        return _logo(path, path.stat().st_mtime_ns) if path else None
    except OSError:  # removed between the check and the read
        return None


def ink_on(colour: str) -> str:
    """Black or white text on ``colour``: the one with the higher WCAG contrast."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


@lru_cache(maxsize=4)
def _logo(path: Path, changed: int) -> Logo | None:
    """The logo's address and its size at the masthead's height, read once per
    version of the file (the page reserves its box: no layout shift). None,
    logged, for a file that is no image: the pages show the name alone."""
    import pyvips

    try:
        image = pyvips.Image.new_from_file(str(path))
    except pyvips.Error as exc:
        logger.error("PICDESK_SITE_LOGO %s is not an image libvips reads (%s): the masthead shows the name alone",
                     path, str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable")
        return None
    width = max(1, round(image.width * LOGO_HEIGHT / image.height))
    return Logo(f"{reverse('reader:logo')}?v={changed}", width, LOGO_HEIGHT)


@require_safe
def logo(request):
    """The newsroom's logo (PICDESK_SITE_LOGO), which may live outside the
    static files; its address changes with the file."""
    path = _logo_file()
    if path is None:
        raise Http404("No logo")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    try:
        response = FileResponse(open(path, "rb"), content_type=content_type)
    except FileNotFoundError:
        raise Http404("No logo") from None
    response["Cache-Control"] = f"public, max-age={ONE_DAY}"
    # An SVG opened on its own is a document: it may run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


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
