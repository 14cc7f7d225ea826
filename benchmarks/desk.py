"""The desk at work: a contact sheet of 500 photos, and culling in Chromium.

    python benchmarks/desk.py [--photos 500] [--requests 50]

Builds a fresh home (embedded default) with 500 photos whose thumbnails
exist, then:

1. server time, through Django's whole request stack in this process, of the
   contact sheet's first page and of each filter, against a plain template
   page with no queries (ratio in the same run); the first page's HTML bytes;
2. in Chromium against `picdesk serve`, at 1440 x 900: the thumbnails the
   first screen shows and the image bytes the browser fetched for it (the
   sheet's thumbnails load lazily: what a screen needs); the time from a key press to the
   next frame with the focus moved, and to a rating saved (the sheet's
   "marked" event, after the server answered), medians; then a scripted cull
   of 100 frames (one mark and one arrow each), its keystrokes and total time.

Targets (issue 24): first screen <= 300 ms server time with 500 photos; a
rating saved <= 100 ms median; 100 frames in 100 marks plus navigation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-benchmark-password-42"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
FILTERS = {"first page": "", "text": "?q=frame", "stars": "?rating=3", "colour class": "?class=1",
           "rejected": "?pick=rejected", "photographer": "?photographer=Ana%20Ruiz", "unused": "?unused=1"}


def build(count: int) -> None:
    import pyvips
    from django.core.management import call_command

    from picdesk.core.roles import create_user
    from picdesk.photos.culling import mark
    from picdesk.photos.ingest import ingest_bytes
    from picdesk.photos.marks import Marks
    from picdesk.photos.metadata import PhotoMetadata, write_metadata

    call_command("migrate", verbosity=0)
    create_user("bench", PASSWORD, "editor")
    photos = []
    for n in range(count):
        x = pyvips.Image.xyz(1200, 800)
        image = (x[0] * 255 / 1200).bandjoin([x[1] * 255 / 800, x[0] * 0 + (n * 37) % 256]).cast("uchar")
        data = write_metadata(image.copy(interpretation="srgb").jpegsave_buffer(Q=80), PhotoMetadata(
            caption=f"Frame {n} of the match.", credit="AGENCY", bylines=["Ana Ruiz" if n % 2 else "Ben Ode"]))
        photos.append(ingest_bytes(data, f"frame-{n:04}.jpg", render=True).photo)
    mark(photos[::7], Marks(rating=3))
    mark(photos[::11], Marks(color_class=1))
    mark(photos[::13], Marks(pick=-1))


def median_ms(client, url: str, requests: int) -> float:
    client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def server_side(requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.template import engines
    from django.test import Client

    from picdesk.photos.models import Photo

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    baseline = engines["django"].from_string("{% extends 'desk/base.html' %}{% block main %}" + "<p>Text.</p>" * 2000
                                             + "{% endblock %}")
    from django.test import RequestFactory

    request = RequestFactory().get("/desk/")
    request.user = get_user_model().objects.get(username="bench")
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        baseline.render({}, request)
        times.append(time.perf_counter() - start)
    base = statistics.median(times) * 1000
    print(f"{Photo.objects.count()} photos; plain desk page (a template, no queries): median {base:.1f} ms")
    print(f"{'view':<14} {'median ms':>9} {'ratio':>6}")
    served = {}
    for name, query in FILTERS.items():
        served[name] = ms = median_ms(client, "/desk/" + query, requests)
        print(f"{name:<14} {ms:9.1f} {ms / base:6.1f}")
    print(f"target: first page <= 300 ms with {Photo.objects.count()} photos: "
          f"{'met' if served['first page'] <= 300 else 'MISSED'} ({served['first page']:.0f} ms)")
    html = client.get("/desk/").content
    print(f"first page HTML: {len(html) / 1024:.0f} KB")


def listen(page) -> None:
    """Time, in the page, key presses to the next frame shown and to a mark saved."""
    page.evaluate("""() => {
        window.bench = {moves: [], saves: [], pressed: 0};
        document.addEventListener('keydown', () => { window.bench.down = performance.now(); }, true);
        const sheet = document.getElementById('sheet');
        sheet.addEventListener('focusin', () => {
            const t0 = window.bench.down;
            requestAnimationFrame(() => window.bench.moves.push(performance.now() - t0)); });
        sheet.addEventListener('marked', () => { window.bench.saves.push(performance.now() - window.bench.pressed); });
    }""")


SHOWN = """() => [...document.querySelectorAll('#sheet img')].filter(img => {
    const box = img.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight; }).length"""


def first_screen(page) -> None:
    """What the first screen of the sheet shows, at the default size and at
    the smallest, and what its images weigh as the browser fetched them."""
    page.wait_for_load_state("networkidle")
    shown = page.evaluate(SHOWN)
    fetched = page.evaluate("() => performance.getEntriesByType('resource')"
                            ".filter(e => e.initiatorType === 'img').map(e => e.encodedBodySize)")
    page.locator("#thumb-size").fill("6")  # the slider's smallest
    smallest = page.evaluate(SHOWN)
    page.locator("#thumb-size").fill("9")
    page.evaluate("() => document.activeElement.blur()")  # the keys below are the sheet's, not the slider's
    print(f"first screen (1440 x 900): {shown} thumbnails shown, {smallest} at the smallest size (target >= 40: "
          f"{'met' if smallest >= 40 else 'MISSED'}); {len(fetched)} images fetched for it "
          f"(lazy loading fetches ahead of the screen), {sum(fetched) / 1024:.0f} KB")


def until(page, condition: str, timeout: float = 60) -> None:
    # Polled from here: the desk's CSP (rightly) refuses wait_for_function's eval.
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => {condition}"):
        if time.monotonic() > deadline:
            raise TimeoutError(condition)
        time.sleep(0.005)


def in_chromium(home: str) -> None:
    from playwright.sync_api import sync_playwright

    port = 8790
    env = {**os.environ, "PICDESK_WORKERS": "0"}
    server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", home, "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.goto(base + "/desk/login/")
            page.get_by_label("User name").fill("bench")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(base + "/desk/")
            first_screen(page)
            listen(page)
            for n in range(30):
                page.keyboard.press("ArrowRight")
                page.evaluate("() => window.bench.pressed = performance.now()")
                page.keyboard.press(str(1 + n % 5))
                until(page, f"window.bench.saves.length > {n}")
            moves, saves = page.evaluate("() => [window.bench.moves, window.bench.saves]")
            print(f"key to next frame shown: median {statistics.median(moves):.1f} ms over {len(moves)}")
            print(f"key to rating saved: median {statistics.median(saves):.1f} ms over {len(saves)}; target "
                  f"<= 100 ms: {'met' if statistics.median(saves) <= 100 else 'MISSED'}")
            page.reload()
            listen(page)
            keys, start = 0, time.perf_counter()
            for n in range(100):
                page.keyboard.press("x" if n % 4 == 0 else str(1 + n % 5))
                page.keyboard.press("ArrowRight")
                keys += 2
            until(page, "window.bench.saves.length >= 100")
            print(f"culling 100 frames: {keys} keystrokes (100 marks, 100 arrows), no mouse, "
                  f"{time.perf_counter() - start:.1f} s until the last mark was saved")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="picdesk-desk-")
    os.environ.update(PICDESK_HOME=home, DJANGO_SETTINGS_MODULE="picdesk.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from picdesk.ops.server import collect_static

    collect_static()
    started = time.perf_counter()
    build(args.photos)
    print(f"built {args.photos} photos in {time.perf_counter() - started:.0f} s")
    server_side(args.requests)
    in_chromium(home)


if __name__ == "__main__":
    main()
