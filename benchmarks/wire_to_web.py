"""Wire to web, end to end on this machine: 25 photos of 12–20 MP sent over FTP
to `picdesk serve`, routed into a draft slideshow by a rule, published from
the desk, until every rendition the slideshow page points at exists.

    python benchmarks/wire_to_web.py CORPUS_DIR [--workers 2]

Prints each stage's seconds and share of the whole (target: ≤ 10 s on 2
cores), then when the WebP and AVIF sets that follow in the background were
done. Everything runs on 127.0.0.1 in a temporary home.
"""

from __future__ import annotations

import argparse
import ftplib
import http.cookiejar
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-wire-desk-password-9"
PHOTOS = 25


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wire_photos(corpus: Path) -> list[bytes]:
    """25 distinct 12–20 MP JPEGs with agency metadata, from the corpus's big ones."""
    import pyexiv2
    import pyvips

    big = [p for p in sorted(corpus.glob("*.jpg"))
           if 12e6 <= (lambda i: i.width * i.height)(pyvips.Image.new_from_file(str(p))) <= 21e6]
    photos = []
    for n in range(PHOTOS):
        image = pyvips.Image.new_from_file(str(big[n % len(big)]))
        if n >= len(big):  # another frame of the same scene: a few pixels off, mirrored every other time
            image = image.crop(n, n, image.width - 2 * n, image.height - 2 * n)
            image = image.fliphor() if n % 2 else image
        with pyexiv2.ImageData(image.jpegsave_buffer(Q=92)) as img:
            img.modify_xmp({"Xmp.photoshop.Credit": "WIRE", "Xmp.dc.creator": ["Wire Photographer"],
                            "Xmp.dc.description": {'lang="x-default"': f"Frame {n + 1} from the wire."}})
            photos.append(img.get_bytes())
    return photos


def picdesk(home: Path, *args: str, stdin: str | None = None) -> str:
    return subprocess.run([sys.executable, "-m", "picdesk", "--home", str(home), *args], input=stdin,
                          capture_output=True, text=True, check=True, env=os.environ).stdout


def desk_session(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/desk/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "wire", "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(base + "/desk/login/", data=data.encode(), headers={"Referer": base}))
    return opener


def query(home: Path, sql: str) -> list[tuple]:
    """Read the home's database directly: a poll must cost next to nothing."""
    import sqlite3

    with sqlite3.connect(f"file:{home / 'picdesk.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql).fetchall()


def rendered(home: Path, fmt: str) -> int:
    """How many photos have every planned full-frame rendition in ``fmt``."""
    from picdesk.photos.spec import planned_widths

    rows = query(home, "SELECT p.width, count(r.id) FROM photos_photo p LEFT JOIN photos_rendition r "
                       f"ON r.photo_id = p.id AND r.crop = '' AND r.format = '{fmt}' GROUP BY p.id")
    return sum(made >= len(planned_widths(width)) for width, made in rows)


def wait(what, probe, timeout=300):
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.2)


def run(corpus: Path, workers: int) -> None:
    photos = wire_photos(corpus)
    with tempfile.TemporaryDirectory(prefix="picdesk-wire-") as tmp:
        home = Path(tmp) / "home"
        picdesk(home, "createuser", "wire", "--role", "editor", stdin=PASSWORD + "\n")
        os.environ.update(PICDESK_HOME=str(home), DJANGO_SETTINGS_MODULE="picdesk.settings")
        import django

        django.setup()  # for planned_widths(); the server runs apart
        picdesk(home, "manage", "shell", "-c", "from picdesk.slideshows.models import RoutingRule; "
                "RoutingRule.objects.create(name='wire', field='credit', value='wire', add_to_draft='Wire'); "
                # Every corpus photo says "Not for publication: benchmark material"; this
                # throwaway site publishes it all the same.
                "from picdesk.photos.rights import RestrictionPhrase; "
                "RestrictionPhrase.objects.filter(matches='not for publication').delete()")
        web, ftp_port = free_port(), free_port()
        env = {**os.environ, "PICDESK_FTP_PORT": str(ftp_port), "PICDESK_WORKERS": str(workers)}
        server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(web)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  start_new_session=True)
        try:
            while "serving" not in server.stdout.readline():
                pass
            stages = stages_of(home, f"http://127.0.0.1:{web}", ftp_port, photos)
        finally:
            server.terminate()
            server.wait(timeout=60)
    report(stages)


def stages_of(home: Path, base: str, ftp_port: int, photos: list[bytes]) -> dict[str, float]:
    marks = {"start": time.monotonic()}
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", ftp_port)
        ftp.login("wire", PASSWORD)
        for n, data in enumerate(photos, 1):
            ftp.storbinary(f"STOR IMG_{n:04d}.JPG", io.BytesIO(data))
    marks["sent over FTP"] = time.monotonic()
    slides = ("SELECT s.id, count(l.id) FROM slideshows_slideshow s JOIN slideshows_slide l "
              "ON l.slideshow_id = s.id WHERE s.title = 'Wire' GROUP BY s.id")
    wait("the draft", lambda: [n for _, n in query(home, slides)] == [PHOTOS])
    marks["ingested and routed"] = time.monotonic()
    ((pk, _),) = query(home, slides)
    desk = desk_session(base)
    page = desk.open(f"{base}/desk/slideshows/{pk}/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"now": "1", "confirm": "True", "csrfmiddlewaretoken": token}).encode()
    desk.open(urllib.request.Request(f"{base}/desk/slideshows/{pk}/publish/", data=data, headers={"Referer": base}))
    marks["published"] = time.monotonic()
    wait("the publishable renditions", lambda: rendered(home, "jpeg") == PHOTOS)
    marks["every rendition the page points at"] = time.monotonic()
    wait("the WebP and AVIF sets", lambda: rendered(home, "webp") == rendered(home, "avif") == PHOTOS, timeout=900)
    marks["WebP and AVIF (background)"] = time.monotonic()
    return marks


def report(marks: dict[str, float]) -> None:
    names = list(marks)
    critical = marks["every rendition the page points at"] - marks["start"]
    print(f"wire to web, {PHOTOS} photos of 12–20 MP:")
    for previous, name in zip(names, names[1:]):
        seconds = marks[name] - marks[previous]
        share = f"{seconds / critical:6.1%}" if name != "WebP and AVIF (background)" else "  (after)"
        print(f"  {name:40} {seconds:7.2f} s {share}")
    print(f"  {'total, FTP to a complete page':40} {critical:7.2f} s   (target ≤ 10 s on 2 cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    run(args.corpus.resolve(), args.workers)


if __name__ == "__main__":
    main()
