"""Server time of a 25-photo slideshow page, against a plain Django page.

    python benchmarks/pages.py CORPUS_DIR [--requests 200]

Builds a fresh home (embedded default: SQLite, local files) with a 25-photo
slideshow from the corpus and a dozen others for the rails, then times GETs
through Django's full request stack (middleware, ORM, templates) in this one
process: the slideshow page, and as the baseline a 60 KB page rendered from a
plain template with no queries. Prints medians, their ratio, the page's query
count, and the bytes a phone downloads: HTML, CSS (Brotli), the display
font, and the first photo at 400 CSS px wide on a 2x screen.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = 25
BASELINE = "<p>" + "A plain paragraph of text on a page with no queries at all. " * 1000 + "</p>"


@functools.cache
def baseline_template():
    from django.template import engines

    return engines["django"].from_string(
        "{% extends 'reader/base.html' %}{% block main %}{{ body|safe }}{% endblock %}"
    )


def baseline_view(request):
    from django.http import HttpResponse

    return HttpResponse(baseline_template().render({"body": BASELINE}, request))


def urlpatterns_with_baseline():
    from django.urls import include, path

    return [path("baseline/", baseline_view), path("", include("picdesk.urls"))]


def build(corpus: Path):
    from django.core.management import call_command
    from django.utils import timezone

    from picdesk.photos.ingest import ingest_file
    from picdesk.photos.renditions import make_background_renditions
    from picdesk.photos.rights import RestrictionPhrase
    from picdesk.slideshows.publishing import create_slideshow

    call_command("migrate", verbosity=0)
    # Every corpus photo says "Not for publication: benchmark material"; this
    # throwaway site publishes it all the same.
    RestrictionPhrase.objects.filter(matches="not for publication").delete()
    files = sorted(corpus.glob("*.jpg"))
    photos = [ingest_file(f, render=True).photo for f in files[:PHOTOS]]
    for photo in photos:  # what the worker adds soon after: the page as readers get it
        make_background_renditions(photo)
    for n in range(12):
        create_slideshow(f"Other slideshow {n}", photos[n : n + 3], summary="Another day in pictures.",
                         published_at=timezone.now() - timezone.timedelta(days=n + 2), publish=True)
    return create_slideshow("Twenty-five photos", photos, summary="The benchmark slideshow.",
                            published_at=timezone.now() - timezone.timedelta(days=7), publish=True)


def median_ms(client, url: str, requests: int) -> float:
    client.get(url)  # warm: template loading, first queries
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="picdesk-pages-")
    os.environ.update(PICDESK_HOME=home, DJANGO_SETTINGS_MODULE="picdesk.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = __name__
    global urlpatterns
    urlpatterns = urlpatterns_with_baseline()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from picdesk.ops.server import collect_static

    collect_static()  # as `picdesk serve` does: fingerprinted names, as in production

    from django.db import connection
    from django.test import Client

    show = build(args.corpus.resolve())
    client = Client()
    url = show.get_absolute_url()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        html = client.get(url).content
    page_ms = median_ms(client, url, args.requests)
    base_ms = median_ms(client, "/baseline/", args.requests)
    baseline_bytes = len(client.get("/baseline/").content)
    first = show.slides.first().photo
    # 400 CSS px on a 2x screen: the browser takes the smallest rendition at
    # least 800 px wide, in the first format it decodes (AVIF once made, WebP now).
    phone = min((r for r in first.renditions.filter(crop="") if r.width >= 800), key=lambda r: (r.format != "webp", r.width))
    static = ROOT / "src/picdesk/reader/static/reader"
    css = (static / "tokens.css").read_bytes() + (static / "picdesk.css").read_bytes()  # both block rendering
    js = b"".join(p.read_bytes() for p in sorted(static.glob("*.js")))
    fonts = sorted((static / "fonts").glob("*.woff2"))  # preloaded: part of the first screen
    font_bytes = sum(f.stat().st_size for f in fonts)
    import brotli

    print(f"slideshow page, {PHOTOS} photos: median {page_ms:.2f} ms over {args.requests} requests")
    print(f"plain {baseline_bytes / 1024:.0f} KB template page: median {base_ms:.2f} ms")
    print(f"ratio: {page_ms / base_ms:.2f}   (target: under 15 ms)")
    print(f"queries for the slideshow page: {len(queries)}")
    print(f"HTML {len(html) / 1024:.1f} KB ({len(brotli.compress(html)) / 1024:.1f} KB with Brotli)")
    print(f"CSS {len(css) / 1024:.1f} KB ({len(brotli.compress(css)) / 1024:.1f} KB with Brotli)")
    print(f"fonts {font_bytes / 1024:.1f} KB woff2 ({len(fonts)} face{'s' if len(fonts) != 1 else ''}, "
          f"largest {max((f.stat().st_size for f in fonts), default=0) / 1024:.1f} KB; target 40 KB a face)")
    first_screen = len(brotli.compress(html)) + len(brotli.compress(css)) + font_bytes
    print(f"first screen, HTML + CSS with Brotli + fonts: {first_screen / 1024:.1f} KB")
    print(f"JS {len(js) / 1024:.1f} KB ({len(brotli.compress(js)) / 1024:.1f} KB with Brotli), deferred")
    print(f"first photo on a 400 px phone at 2x: {phone.width} px {phone.format}, {phone.file_size / 1024:.0f} KB")


urlpatterns: list = []

if __name__ == "__main__":
    main()
