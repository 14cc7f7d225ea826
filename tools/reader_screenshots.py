"""Screenshots of the reader pages at a phone's and a desktop's width, for a
design review: home, slideshow, the viewer open on its first photo, and a
photo page, each at 390 and 1440 CSS px, light scheme.

    .venv/bin/python tools/reader_screenshots.py http://127.0.0.1:8000 docs/screens [--suffix -before]

Serve the demo first (`picdesk demo`). Uses Debian's chromium, never a
downloaded browser.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
WIDTHS = {390: 844, 1440: 900}


def first_slideshow(page, base: str) -> str:
    page.goto(base + "/")
    href = page.eval_on_selector_all("a[href^='/pictures/']", "links => links.map(a => a.getAttribute('href'))")
    return next(h for h in href if re.fullmatch(r"/pictures/[a-z0-9-]+/", h) and "/series/" not in h
                and "/archive/" not in h)


def shoot(base: str, out: Path, suffix: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
            slideshow = first_slideshow(page, base)
            for name, url in (("home", "/"), ("slideshow", slideshow), ("photo", slideshow + "2/")):
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                made.append(out / f"{name}-{width}{suffix}.jpg")
                page.screenshot(path=made[-1], type="jpeg", quality=70)
            page.goto(base + slideshow)
            page.locator("a.open-viewer").first.click()
            page.wait_for_function("() => document.querySelector('.viewer-stage img')?.complete")
            made.append(out / f"viewer-{width}{suffix}.jpg")
            page.screenshot(path=made[-1], type="jpeg", quality=70)
            page.close()
        browser.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("out", type=Path)
    parser.add_argument("--suffix", default="")
    args = parser.parse_args()
    for path in shoot(args.base.rstrip("/"), args.out, args.suffix):
        print(path)


if __name__ == "__main__":
    main()
