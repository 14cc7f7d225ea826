"""A bounded load test on this machine only: readers on slideshow and photo
pages while an editor imports and publishes.

    python benchmarks/load.py [--readers 50] [--seconds 60] [--photos 100]

Starts `picdesk serve` on 127.0.0.1 with a fresh home holding the demo, runs
--readers threads that fetch slideshow and photo pages for --seconds (each
request bounded by a 10 s timeout), and meanwhile runs `picdesk import` of
--photos generated photos with --publish. Prints requests per second, p50 and
p99 latency and the error count (which must be 0). Nothing but 127.0.0.1 is
ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_photos(folder: Path, count: int) -> None:
    import pyvips

    folder.mkdir(parents=True)
    for n in range(count):
        x = pyvips.Image.xyz(1600, 1067)
        image = (x[0] * 255 / 1600).bandjoin([x[1] * 255 / 1067, x[0] * 0 + (n * 53) % 256])
        image.cast("uchar").copy(interpretation="srgb").jpegsave(str(folder / f"load-{n:03}.jpg"), Q=85)


def environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}


def page_urls(port: int) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    home = connection.getresponse().read().decode()
    # The slideshows the home links to, not its section indexes (reserved slugs).
    shows = sorted(set(re.findall(r'href="(/pictures/[a-z0-9-]+/)"', home)) - {"/pictures/series/", "/pictures/archive/"})
    return shows + [f"{show}{n}/" for show in shows for n in (1, 2, 3)]


def reader(port: int, urls: list[str], stop: float, results: list, errors: list) -> None:
    rng = random.Random()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < stop:
        url = rng.choice(urls)
        start = time.perf_counter()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{url}: {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{url}: {exc!r}")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        results.append(time.perf_counter() - start)


def run(readers: int, seconds: float, photos: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="picdesk-load-") as tmp:
        home, incoming, port = Path(tmp) / "home", Path(tmp) / "incoming", free_port()
        make_photos(incoming, photos)
        picdesk = [sys.executable, "-m", "picdesk", "--home", str(home)]
        server = subprocess.Popen([*picdesk, "demo", "--port", str(port)], env=environment(),
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            while "serving" not in server.stdout.readline():
                pass
            urls = page_urls(port)
            latencies, errors = [], []
            stop = time.monotonic() + seconds
            threads = [threading.Thread(target=reader, args=(port, urls, stop, latencies, errors))
                       for _ in range(readers)]
            for thread in threads:
                thread.start()
            editor_start = time.monotonic()
            imported = subprocess.run(
                [*picdesk, "import", str(incoming), "--slideshow", "Load test", "--publish"],
                env=environment(), capture_output=True, text=True, timeout=max(seconds * 5, 120))
            editor_seconds = time.monotonic() - editor_start
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=60)
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
        "import_ok": imported.returncode == 0,
        "import_seconds": editor_seconds,
        "pages": len(urls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--photos", type=int, default=100)
    args = parser.parse_args()
    result = run(args.readers, args.seconds, args.photos)
    print(f"{args.readers} readers for {args.seconds:.0f} s over {result['pages']} pages, "
          f"while importing and publishing {args.photos} photos "
          f"({'done' if result['import_ok'] else 'FAILED'} in {result['import_seconds']:.1f} s)")
    print(f"requests: {result['requests']}  ({result['per_second']:.1f}/s)")
    print(f"latency: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms")
    print(f"errors: {len(result['errors'])}")
    for error in result["errors"][:10]:
        print(f"  {error}")


if __name__ == "__main__":
    main()
