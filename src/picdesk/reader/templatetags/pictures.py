"""``{% picture %}``: responsive image markup from whatever renditions exist now.

Renditions are made in the background, so a page may be rendered before all
of them exist: ``srcset`` lists only the ones that do, and a photo with none
yet points at one size that the rendition view makes on demand.
"""

import datetime as dt

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from picdesk.photos.crops import crop_size
from picdesk.photos.storage_names import rendition_urls
from picdesk.photos.renditions import nearest_width, rendition_widths
from picdesk.reader.shown import ShownPhoto
from picdesk.slideshows.captions import CaptionView

register = template.Library()

FALLBACK_WIDTH = 640
# Browsers take the first <source> they can decode: smallest format first.
SOURCE_FORMATS = ("avif", "webp")
# Crops are made on demand, each size when first asked for: their srcset lists
# every planned width in these formats, made or not (AVIF, slow to encode,
# only once it exists).
ON_DEMAND_FORMATS = ("jpeg", "webp")


@register.simple_tag
def picture(shown: ShownPhoto, sizes: str = "100vw", eager: bool = False, max_width: int = 0):
    """``max_width``: list no rendition wider (a thumbnail needs none past 2 or 3
    times its CSS width).

    Built as one string, escaping each value explicitly: a page has dozens of
    these, and format_html's machinery cost a fifth of the slideshow page."""
    photo, crop = shown.photo, shown.crop
    planned = rendition_widths(photo, crop)
    fallback = nearest_width(photo, FALLBACK_WIDTH, crop, among=shown.widths.get("jpeg") or planned)
    width, height = crop_size(photo.width, photo.height, crop) if crop else (photo.width, photo.height)
    sizes = escape(sizes)
    sources = "".join(
        f'<source type="image/{fmt}"{srcset}>' for fmt in SOURCE_FORMATS
        if (srcset := _srcset(shown, fmt, sizes, planned, max_width))
    )
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    (src,) = rendition_urls(photo, [fallback], "jpeg", crop, shown.public.get("jpeg", frozenset()))
    img = (f'<img src="{escape(src)}"'
           f'{_srcset(shown, "jpeg", sizes, planned, max_width)} width="{width}" height="{height}" '
           f'alt="{escape(photo.alt)}" decoding="async"{loading}>')
    # Never wider than the photo itself: a small one is not blown up to the column.
    background = f";background-image:url({escape(photo.placeholder)})" if photo.placeholder else ""
    return mark_safe(f'<picture class="photo" style="max-width:{width}px{background}">{sources}{img}</picture>')


def _srcset(shown: ShownPhoto, fmt: str, sizes: str, planned: list[int], max_width: int = 0) -> str:
    """` srcset="…" sizes="…"` for the renditions of ``fmt`` that exist (for
    a crop, all ``planned``: they are made on demand), none wider than
    ``max_width`` but the narrowest, else nothing. ``sizes`` comes escaped."""
    widths = shown.widths.get(fmt)
    if not widths and shown.crop and fmt in ON_DEMAND_FORMATS:
        widths = planned
    if widths and max_width:
        widths = [w for w in widths if w <= max_width] or widths[:1]
    if not widths:
        return ""
    urls = rendition_urls(shown.photo, widths, fmt, shown.crop, shown.public.get(fmt, frozenset()))
    srcset = ", ".join(f"{url} {w}w" for url, w in zip(urls, widths))
    return f' srcset="{escape(srcset)}" sizes="{sizes}"'


@register.simple_tag
def caption(view: CaptionView):
    """A caption, then its credit line whole on a line of its own; what exceeds
    the limit sits behind a ``<details>`` "...more" that opens in place, no
    JavaScript needed."""
    text = format_html('<span class="caption-text">{}</span>', view.shown) if view.shown else ""
    if view.rest:
        text = format_html('{} <details class="more"><summary>...more</summary><span>{}</span></details>', text, view.rest)
    if view.credit:
        text = format_html('{} <span class="credit">{}</span>', text, view.credit)
    return text


@register.filter
def taken_on(date_created: str):
    """The day a photo was taken, from IPTC's Date Created (a date, maybe
    with a time); None where it holds no date."""
    try:
        return dt.date.fromisoformat(date_created[:10])
    except ValueError:
        return None


@register.filter
def place(photo) -> str:
    """Where a photo was taken, most precise first: "Belém, Lisbon, Portugal"."""
    return ", ".join(dict.fromkeys(p for p in (photo.sublocation, photo.city, photo.state, photo.country) if p))


@register.filter
def machine_time(moment) -> str:
    """A time as HTML's datetime attribute takes it: ISO 8601 to the second
    (HTML allows at most three digits of a fraction; Python writes six)."""
    return moment.isoformat(timespec="seconds") if moment else ""
