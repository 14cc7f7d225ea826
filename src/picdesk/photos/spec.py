"""The rendition spec: which renditions a photo gets. Widths (from
PICDESK_RENDITION_WIDTHS, never upscaled), formats with their file extension
and media type, which formats a page waits for and which follow in the
background, and the crop aspects readers' pages ask for.

How each is made lives in ``imaging`` (decode, resize, encode) and
``crops`` (the focus a crop keeps); where each is stored, in
``storage_names``.
"""

from __future__ import annotations

from picdesk.core.config import setting

# format -> file extension and media type
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
FORMATS_BY_EXTENSION = {ext: fmt for fmt, ext in EXTENSIONS.items()}

# A slideshow is publishable once the JPEGs exist: every browser shows them.
# WebP and AVIF, smaller but dearer to encode (WebP alone cost 2.7 times a
# decode, more than the JPEG set whole), follow in the background; pages add
# their <source>s as they appear.
PUBLISHABLE_FORMATS = ("jpeg",)
BACKGROUND_FORMATS = ("webp", "avif")

# crop name in URLs -> (width, height) ratio: rails and covers (16x9),
# squares (1x1), social images (191x100, Open Graph's 1.91:1)
ASPECTS = {"16x9": (16, 9), "1x1": (1, 1), "191x100": (191, 100)}


def planned_widths(width: int) -> list[int]:
    """For a photo ``width`` pixels wide: the configured widths narrower than it,
    plus its own width when narrower than the widest. Never upscaled."""
    widths = setting("PICDESK_RENDITION_WIDTHS")
    planned = [w for w in widths if w < width]
    if width <= widths[-1] and width not in planned:
        planned.append(width)
    return sorted(planned) or [width]
