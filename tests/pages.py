"""Helpers for tests of reader pages, and the set of pages that the
accessibility and HTML validity checks visit."""

from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


def page(client, url: str, status: int = 200) -> str:
    """The HTML of ``url``, which must answer ``status``."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def node_tool(relative: str) -> Path:
    path = NODE_MODULES / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm install` in the repository (.ci/run does)")
    return path


def reader_urls() -> dict[str, str]:
    """One of each kind of reader page, over the demo's slideshows."""
    from picdesk.demo.build import build_demo
    from picdesk.slideshows.models import Series, Slideshow

    build_demo()
    show = Slideshow.objects.live().get(title__startswith="Autumn light")
    series = Series.objects.get()
    return {
        "home": "/",
        "slideshow": show.get_absolute_url(),
        "photo": f"{show.get_absolute_url()}2/",
        "series": f"/pictures/series/{series.slug}/",
        "archive": f"/pictures/{show.published_at:%Y/%m}/",
        "search": "/search/?q=spain",
    }
