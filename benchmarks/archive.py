"""Every desk and reader page as the archive grows: 10 thousand, 100
thousand, a million photos.

    python benchmarks/archive.py [--engine postgresql|sqlite] [--sizes 10000,100000,1000000]
                                 [--runs 5] [--bulk] [--database-url URL]

Imports the demo's real photos (renditions and all) into a fresh home and
database, then grows it by bulk SQL (benchmarks/archive_growth.py) to each
size in turn and, at each, times every operation through Django's full
request stack in this process (the code `picdesk serve` runs), uncached and
warm: the median of --runs. Beside each time: the growth factor from the
smallest size to the largest, and the most memory one request took (the
growth of a forked process's peak RSS while it answers once). Also the
near-copy flags' precision at that size (random picture hashes and real
ones), and with --bulk, `picdesk check` and the search index rebuild.

PostgreSQL by default (PICDESK_TEST_POSTGRES names the server, as for the
tests); its database picdesk_bench_archive is made afresh and kept after,
so a second run with the same sizes skips the growing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
DESK_TARGET_MS, READER_TARGET_MS, GROWTH_TARGET = 300, 150, 3.0
DEEP_PAGE = 1000


def setup(args) -> None:
    home = tempfile.mkdtemp(prefix="picdesk-archive-")
    os.environ.update(PICDESK_HOME=home, DJANGO_SETTINGS_MODULE="picdesk.settings")
    if args.engine == "postgresql":
        os.environ["DATABASE_URL"] = _fresh_postgres(args)
    import django
    from django.conf import settings

    django.setup()
    settings.CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # uncached
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from picdesk.ops.server import collect_static, migrate

    migrate()
    collect_static()


def _fresh_postgres(args) -> str:
    import psycopg

    admin = os.environ.get("PICDESK_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    url = args.database_url or admin.rsplit("/", 1)[0] + "/picdesk_bench_archive"
    if not args.keep:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
    return url


def seed() -> None:
    """The demo's photos, imported for real, once."""
    from archive_growth import seed_ids
    from picdesk.core.roles import create_user
    from picdesk.photos.ingest import ingest_file
    from picdesk.slideshows.publishing import create_slideshow
    from django.contrib.auth.models import User

    if seed_ids():
        return
    photos = [ingest_file(path, render=True).photo for path in sorted((ROOT / "src/picdesk/ops/demo/photos").glob("*.jpg"))]
    create_slideshow("Real photos", photos[:8], summary="Imported for real.", publish=True)
    if not User.objects.filter(username="bench").exists():
        create_user("bench", "bench-password-long", "admin")


def timed(fn, runs: int) -> float:
    fn()  # warm: templates, plans, the database's own cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_rss_growth_mb(fn) -> float:
    """How much a process's peak RSS grows while it does ``fn`` once: a
    forked child does it on its own database connection."""
    from django.db import connections

    connections.close_all()
    before = _rss_kb()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        try:
            fn()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            os.write(write, str(max(0, peak - before)).encode())
        finally:
            os._exit(0)
    os.close(write)
    grown = os.read(read, 64).decode()
    os.waitpid(child, 0)
    os.close(read)
    return int(grown or 0) / 1024


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def operations():
    """(label, kind, function) for what is timed; kind is desk, reader or other."""
    from django.db import connection
    from django.test import Client
    from django.contrib.auth.models import User
    from picdesk.audit.models import Actor
    from picdesk.photos.models import Photo
    from picdesk.photos.near_copies import find_near
    from picdesk.slideshows.models import Series, Slideshow
    from picdesk.slideshows.publishing import create_slideshow
    from archive_growth import random_hash

    desk, reader = Client(), Client()
    desk.force_login(User.objects.get(username="bench"))
    size = int(os.environ.get("PICDESK_DESK_PAGE_SIZE", "48"))
    newest = Photo.objects.order_by("-pk").values_list("pk", flat=True)
    deep = newest[min(DEEP_PAGE * size, newest.count() // 2)]
    show = Slideshow.objects.live().newest_first().first()
    middle = Slideshow.objects.live().order_by("published_at")[Slideshow.objects.count() // 2].published_at
    series = Series.objects.first()
    rng = random.Random(1)
    someone = Photo.objects.order_by("pk").first()

    def get(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            connection.close_if_unusable_or_obsolete()
        return run

    def new_in_series():
        create_slideshow("Pictures of the day", [someone], series=series, by=Actor("cli"))

    return [
        ("desk contact sheet, first page", "desk", get(desk, "/desk/")),
        ("sheet, text filter (common word)", "desk", get(desk, "/desk/?q=harbour")),
        ("sheet, photographer filter", "desk", get(desk, "/desk/?photographer=Photographer+7")),
        ('sheet, "unused" filter', "desk", get(desk, "/desk/?unused=1")),
        (f"sheet, page {DEEP_PAGE} (or the middle)", "desk", get(desk, f"/desk/?before={deep}")),
        ("builder", "desk", get(desk, f"/desk/slideshows/{show.pk}/")),
        ("desk slideshow list", "desk", get(desk, "/desk/slideshows/")),
        ("reader home", "reader", get(reader, "/")),
        ("reader slideshow page", "reader", get(reader, show.get_absolute_url())),
        ("reader series page", "reader", get(reader, f"/pictures/series/{series.slug}/")),
        ("reader month archive", "reader", get(reader, f"/pictures/{middle.year}/{middle.month}/")),
        ("reader search, common word", "reader", get(reader, "/search/?q=harbour")),
        ("month sitemap", "reader", get(reader, f"/sitemaps/{middle.year}-{middle.month:02}.xml")),
        ("new slideshow in a recurring series", "other", new_in_series),
        ("near-copy check of a new photo", "other", lambda: find_near(random_hash(rng))),
    ]


def false_flags(sample: int = 1000) -> tuple[float, float]:
    """The share of unused photos the desk would flag "already published"
    by chance: with the archive's random picture hashes, and with real
    ones (tiles of the demo's photos, each a different picture)."""
    from picdesk.photos.models import Photo
    from picdesk.photos.near_copies import find_near
    from picdesk.slideshows.models import Slide, Slideshow

    published = Slide.objects.filter(slideshow__in=Slideshow.objects.live())
    unused = list(Photo.objects.filter(slides__isnull=True).order_by("?").values_list("pk", "picture_hash")[:sample])
    flagged = sum(published.filter(photo_id__in=find_near(h, exclude=pk)).exists() for pk, h in unused)
    real = _real_hashes()
    real_flagged = sum(published.filter(photo_id__in=find_near(h)).exists() for h in real)
    return flagged / max(1, len(unused)), real_flagged / max(1, len(real))


def _real_hashes() -> list[str]:
    import pyvips
    from picdesk.photos.imaging import picture_hash

    hashes = []
    for path in sorted((ROOT / "src/picdesk/ops/demo/photos").glob("*.jpg")):
        image = pyvips.Image.thumbnail(str(path), 1200).copy_memory()
        w, h = image.width // 3, image.height // 3
        hashes += [picture_hash(image.crop(x * w, y * h, w, h)) for x in range(3) for y in range(3)]
    return hashes


def pages_invalidated_per_publication(sample: int = 300) -> tuple[float, float, int]:
    """How many slideshow and photo pages one publication makes stale: a
    random sample of them rendered (their surrogate keys collected), against
    the keys a publication purges (slideshows.invalidation), scaled to all
    of them. Returns (stale share, stale pages, all such pages); listing
    pages (home, series, archive, feeds, sitemaps) are stale by design."""
    from django.test import Client
    from django.utils import timezone
    from picdesk.slideshows import invalidation
    from picdesk.slideshows.models import Slide, Slideshow

    client = Client()
    live = Slideshow.objects.live()
    shows = list(live.order_by("?")[:sample])
    slides = list(Slide.objects.filter(slideshow__in=live).select_related("slideshow").order_by("?")[:sample])
    urls = [s.get_absolute_url() for s in shows] + [s.get_absolute_url() for s in slides]
    news = Slideshow(title="News", status=Slideshow.Status.PUBLISHED, published_at=timezone.now())
    purged = invalidation.slideshow_keys(None, news)
    # As Varnish (and picdesk's page cache) store them: the page with its
    # includes, whose fragments are stored and purged apart.
    stale = sum(bool(purged & set(client.get(url, HTTP_SURROGATE_CAPABILITY='varnish="ESI/1.0"')["Surrogate-Key"]
                                  .split())) for url in urls)
    pages = live.count() + Slide.objects.filter(slideshow__in=live).count()
    share = stale / len(urls)
    return share, share * pages, pages


def serve_start_seconds() -> float:
    """`picdesk serve` on this archive: from start to its first answer."""
    import socket
    from urllib.request import urlopen

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "picdesk", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 300:
            try:
                urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1).read()
                return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        return float("inf")
    finally:
        server.terminate()
        server.wait()


def bulk_seconds() -> dict[str, tuple[float, float]]:
    """Seconds and peak RSS growth (MB) of each bulk job, each in a forked
    process. `picdesk check --quick`: every clone shares one of a few real
    originals, so hashing them would time the same few files a million times."""
    from picdesk.photos.integrity import check
    from picdesk.reader.search import rebuild_index

    jobs = (("`picdesk check --quick` (s)", lambda: check(quick=True)),
            ("search index rebuild (s)", rebuild_index))
    out = {}
    for label, fn in jobs:
        start = time.perf_counter()
        peak = peak_rss_growth_mb(fn)
        out[label] = (time.perf_counter() - start, peak)
    return out


def measure(args, size: int) -> dict[str, tuple[float, float]]:
    ops = operations()
    results = {}
    for label, kind, fn in ops:
        results[label] = (timed(fn, args.runs), peak_rss_growth_mb(fn), kind)
    random_rate, real_rate = false_flags()
    results["false 'already used' flags, random hashes (%)"] = (random_rate * 100, None, "other")
    results["false 'already used' flags, real hashes (%)"] = (real_rate * 100, None, "other")
    results["`picdesk serve` start to first answer (s)"] = (serve_start_seconds(), None, "other")
    share, stale, pages = pages_invalidated_per_publication()
    results["slideshow & photo pages one publication makes stale"] = (stale, None, "other")
    if args.bulk:
        for label, (seconds, peak) in bulk_seconds().items():
            results[label] = (seconds, peak, "other")
    return results


def print_table(args, sizes, table) -> None:
    first, last = sizes[0], sizes[-1]
    head = " | ".join(f"{s:,}" for s in sizes)
    print(f"\n{args.engine}, ms unless said, median of {args.runs}, warm, uncached; peak MB is one request's RSS growth\n")
    print(f"| operation | {head} | ×{last // first} growth | peak MB at {last:,} | target |")
    print("|---|" + "---|" * (len(sizes) + 3))
    for label in table[first]:
        values = [table[s][label][0] for s in sizes]
        growth = values[-1] / values[0] if values[0] else float("nan")
        peak = table[last][label][1]
        kind = table[last][label][2]
        limit = {"desk": DESK_TARGET_MS, "reader": READER_TARGET_MS}.get(kind)
        met = "" if limit is None else ("met" if values[-1] <= limit and growth <= GROWTH_TARGET else "MISSED")
        cells = " | ".join(f"{v:,.2f}" if v < 10 else f"{v:,.0f}" for v in values)
        print(f"| {label} | {cells} | {growth:.1f} | {'' if peak is None else f'{peak:.0f}'} | {met} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bulk", action="store_true", help="also time `picdesk check` and the index rebuild")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument("--invalidation-only", action="store_true",
                        help="only count what a publication makes stale (on a kept database)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    setup(args)
    seed()
    if args.invalidation_only:
        share, stale, pages = pages_invalidated_per_publication()
        print(f"one publication makes {stale:,.0f} of {pages:,} slideshow and photo pages stale ({share:.1%})")
        return
    from archive_growth import grow

    table = {}
    for size in sizes:
        start = time.perf_counter()
        grow(size, progress=lambda line: print(line, file=sys.stderr))
        print(f"grown to {size:,} photos in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        table[size] = measure(args, size)
    print_table(args, sizes, table)


if __name__ == "__main__":
    main()
