"""Regenerates the site's icons from reader/static/reader/icons/icon.svg:
PNGs for browsers, home screens and the web app manifest, and favicon.ico
(16, 32 and 48 px) for clients that only ask for /favicon.ico.

Run after changing the SVG: ``.venv/bin/python tools/build_icons.py``
(pyvips renders the SVG; Pillow, from the ``bench`` extra, writes the ICO).
"""

from pathlib import Path

import pyvips
from PIL import Image

ICONS = Path(__file__).resolve().parent.parent / "src" / "picdesk" / "reader" / "static" / "reader" / "icons"
PNG_SIZES = {"icon-32.png": 32, "apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}


def main() -> None:
    svg = (ICONS / "icon.svg").read_bytes()
    for name, size in PNG_SIZES.items():
        pyvips.Image.svgload_buffer(svg, scale=size / 64).write_to_file(str(ICONS / name))
    largest = Image.open(ICONS / "icon-512.png")
    largest.save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
