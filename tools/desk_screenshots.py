"""Screenshots of the desk at a phone's and a desktop's width: the contact
sheet, the loupe, the comparison of selected frames, the keys overlay and a
photo's page, each at 390 and 1440 CSS px, in the grey theme.

    .venv/bin/python tools/desk_screenshots.py http://127.0.0.1:8000 demo-editor PASSWORD docs/desk

Serve the demo first (`picdesk demo` prints the editor's password). Uses
Debian's chromium, never a downloaded browser; drives the desk with the
keyboard, as an editor would.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from reader_screenshots import ARGS, CHROMIUM, WIDTHS


def sign_in(page, base: str, user: str, password: str) -> None:
    page.goto(base + "/desk/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/login/" not in url)


def shoot(base: str, user: str, password: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []

    def snap(page, name: str, width: int) -> None:
        made.append(out / f"{name}-{width}.jpg")
        page.screenshot(path=made[-1], type="jpeg", quality=70)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="dark")
            sign_in(page, base, user, password)
            page.goto(base + "/desk/")
            page.wait_for_load_state("networkidle")
            page.locator("#sheet .card").first.focus()
            snap(page, "sheet", width)
            page.keyboard.press(" ")
            page.wait_for_function("() => document.getElementById('loupe').open")
            page.wait_for_load_state("networkidle")
            snap(page, "loupe", width)
            page.keyboard.press(" ")
            for _ in range(3):  # select this frame and the next two, then compare them
                page.keyboard.press("s")
                page.keyboard.press("ArrowRight")
            page.keyboard.press("c")
            page.wait_for_function("() => document.getElementById('compare').open")
            page.wait_for_load_state("networkidle")
            snap(page, "compare", width)
            page.keyboard.press("Escape")
            page.keyboard.press("?")
            snap(page, "keys", width)
            page.keyboard.press("Escape")
            page.keyboard.press("Enter")
            page.wait_for_url(lambda url: "/desk/photos/" in url)
            snap(page, "photo", width)
            page.close()
        browser.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    for path in shoot(args.base.rstrip("/"), args.user, args.password, args.out):
        print(path)


if __name__ == "__main__":
    main()
