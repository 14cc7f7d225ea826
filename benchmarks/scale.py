"""Scale-out on this machine's real engines: PostgreSQL, an S3 server
(SeaweedFS) and Redis as the broker.

    python benchmarks/scale.py ../shared/corpus [--photos 1000] [--workers 1,2,4] [--seconds 10]

1. Imports --photos photos (the corpus, re-encoded into variants so that none
   is a duplicate of another) with `picdesk import --to-workers`, while 1, 2
   and 4 `picdesk worker` processes make the renditions; each run on a fresh
   database and empty buckets. Prints photos/s until every photo has its
   publishable renditions, and the scaling efficiency against the ideal for
   this machine's cores (N workers can at best go min(N, cores) times as fast
   as one).
2. Serves a 25-photo slideshow page of that site from picdesk directly and
   through Varnish (benchmarks/serve.py's measurements): requests/s, p50, p99.

Needs PostgreSQL (PICDESK_TEST_POSTGRES, as tools/test.sh), Redis
(PICDESK_TEST_REDIS_URL) and SeaweedFS (tools/seaweedfs.sh), plus wrk and
varnish from Debian. Everything on 127.0.0.1; every run ends by itself.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pyvips
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import serve  # noqa: E402  (benchmarks/serve.py)

from tests.conftest import BUCKET, PUBLIC_BUCKET, S3_KEY, S3_SECRET, _empty, _s3_client  # noqa: E402

VARIANT_WIDTH = 2400  # news photos as the desk publishes them; keeps 1,000 re-encodes to a minute


def make_variants(corpus: Path, folder: Path, count: int) -> None:
    """``count`` distinct JPEGs from the corpus, each VARIANT_WIDTH wide (so
    each gets the same five renditions): a slightly different crop and
    quality of one of its photos."""
    sources = []
    for path in sorted(corpus.glob("*.jpg")):
        image = pyvips.Image.new_from_file(str(path)).autorot()
        sources.append(image.resize(VARIANT_WIDTH / image.width).copy_memory())
    folder.mkdir(parents=True)
    for n in range(count):
        source = sources[n % len(sources)]
        trim = 1 + n // len(sources)
        variant = source.crop(0, 0, source.width, source.height - trim)
        variant.jpegsave(str(folder / f"{n:04}.jpg"), Q=80 + n % 15)


def environment(home: Path, database: str, args) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return {
        **env, "PICDESK_HOME": str(home), "DATABASE_URL": database,
        "PICDESK_BROKER_URL": args.redis, "PICDESK_CACHE_URL": args.redis.rsplit("/", 1)[0] + "/14",
        "PICDESK_S3_BUCKET": BUCKET, "PICDESK_S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
        "PICDESK_S3_ENDPOINT_URL": args.s3, "AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET,
        "PICDESK_WORKERS": "1",  # the import's own process count: the workers do the rendering
    }


def fresh_database(args, name: str) -> str:
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return args.postgres.rsplit("/", 1)[0] + "/" + name


def import_with_workers(workers: int, photos: Path, count: int, args, root: Path) -> tuple[float, str, Path]:
    for bucket in (BUCKET, PUBLIC_BUCKET):
        _empty(_s3_client(args.s3), bucket)
    redis.Redis.from_url(args.redis).flushdb()
    database = fresh_database(args, f"picdesk_scale_{workers}")
    home = root / f"home-{workers}"
    env = environment(home, database, args)
    picdesk = [sys.executable, "-m", "picdesk", "--home", str(home)]
    subprocess.run([*picdesk, "manage", "migrate", "-v0"], env=env, check=True)
    # Every corpus photo says "Not for publication: benchmark material"; this
    # throwaway site publishes it all the same.
    subprocess.run([*picdesk, "manage", "shell", "-c", "from picdesk.photos.rights import RestrictionPhrase\n"
                    "RestrictionPhrase.objects.filter(matches='not for publication').delete()"], env=env, check=True)
    running = [subprocess.Popen([*picdesk, "worker"], env=env, start_new_session=True) for _ in range(workers)]
    try:
        start = time.perf_counter()
        subprocess.run([*picdesk, "import", str(photos), "--slideshow", "Scale", "--publish", "--to-workers"],
                       env=env, check=True, capture_output=True)
        while _complete(database) < count:
            time.sleep(0.25)
        return time.perf_counter() - start, database, home
    finally:
        for worker in running:
            worker.terminate()
        for worker in running:
            worker.wait(timeout=120)


def _complete(database: str) -> int:
    """Photos whose five full-frame JPEGs all exist."""
    with psycopg.connect(database) as db:
        return db.execute(
            "SELECT count(*) FROM (SELECT photo_id FROM photos_rendition WHERE format = 'jpeg' AND crop = ''"
            " GROUP BY photo_id HAVING count(*) >= 5) AS done"
        ).fetchone()[0]


def serve_pages(database: str, home: Path, args) -> dict:
    """The first 25 photos as a slideshow, served directly and through Varnish."""
    env = environment(home, database, args)
    shell = ("from picdesk.photos.models import Photo\n"
             "from picdesk.slideshows.publishing import create_slideshow\n"
             "create_slideshow('Serving at scale', list(Photo.objects.order_by('id')[:25]), publish=True)\n")
    picdesk = [sys.executable, "-m", "picdesk", "--home", str(home)]
    subprocess.run([*picdesk, "manage", "shell", "-c", shell], env=env, check=True, capture_output=True)
    subprocess.run([*picdesk, "manage", "collectstatic", "--no-input", "-v0"], env=env, check=True)
    os.environ.update(env)  # serve.py's servers read the site's settings from here
    path = "/pictures/serving-at-scale/"
    best = serve.measure_server(args.server, home, path, args)
    try:
        rows = {f"picdesk ({args.server}) directly": best,
                "through Varnish": serve.measure_varnish(best["port"], path, args)}
    finally:
        best["process"].terminate()
        best["process"].wait(timeout=60)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--server", default="granian")
    parser.add_argument("--postgres", default=os.environ.get("PICDESK_TEST_POSTGRES",
                                                            "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis", default=os.environ.get("PICDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--s3", default=os.environ.get("PICDESK_TEST_S3_ENDPOINT", "http://127.0.0.1:8333"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="picdesk-scale-") as tmp:
        root = Path(tmp)
        made = time.perf_counter()
        make_variants(args.corpus, root / "photos", args.photos)
        print(f"{args.photos} distinct photos made from {args.corpus} in {time.perf_counter() - made:.0f} s")
        results, databases = {}, []
        try:
            for workers in (int(n) for n in args.workers.split(",")):
                seconds, database, home = import_with_workers(workers, root / "photos", args.photos, args, root)
                results[workers] = args.photos / seconds
                databases.append(database)
            print_imports(results, args.photos)
            print_pages(serve_pages(database, home, args), args)
        finally:
            drop_databases(args, databases)


def print_imports(results: dict, photos: int) -> None:
    cores = os.cpu_count() or 1
    one = results[min(results)]
    print(f"\nimport of {photos} photos (PostgreSQL, S3, Redis broker) until every publishable "
          f"rendition exists, {cores} cores")
    print(f"{'workers':>8} {'photos/s':>9} {'speed-up':>9} {'ideal':>6} {'efficiency':>11}")
    for workers, rate in results.items():
        ideal = min(workers, cores)
        print(f"{workers:8d} {rate:9.1f} {rate / one:9.2f} {ideal:6d} {rate / one / ideal:11.0%}")


def print_pages(rows: dict, args) -> None:
    print(f"\n25-photo slideshow page, {args.connections} connections, {args.seconds} s each")
    for label, row in rows.items():
        print(f"{label:32} {row['rps']:9.0f} req/s  p50 {row['p50']:6.1f} ms  p99 {row['p99']:6.1f} ms"
              f"  errors {row['errors']}")


def drop_databases(args, databases: list[str]) -> None:
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        for url in databases:
            admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


if __name__ == "__main__":
    main()
