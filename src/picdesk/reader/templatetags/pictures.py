"""``{% picture %}``: responsive image markup from whatever renditions exist now.

Renditions are made in the background, so a page may be rendered before all
of them exist: ``srcset`` lists only the ones that do, and a photo with none
yet points at one size that the rendition view makes on demand.
"""

from django import template
from django.utils.html import format_html, format_html_join

from picdesk.photos.crops import Focus, crop_box
from picdesk.photos.models import Photo, rendition_url
from picdesk.photos.renditions import crop_widths, planned_widths

register = template.Library()

FALLBACK_WIDTH = 640
# Browsers take the first <source> they can decode: smallest format first.
SOURCE_FORMATS = ("avif", "webp")


@register.simple_tag
def picture(photo: Photo, sizes: str = "100vw", eager: bool = False, crop: str = ""):
    # photo.renditions.all() uses the view's prefetch: no query per photo.
    renditions = sorted(
        (r for r in photo.renditions.all() if r.crop == crop), key=lambda r: r.width
    )
    by_format = {fmt: [r for r in renditions if r.format == fmt] for fmt in ("avif", "webp", "jpeg")}
    jpegs = by_format["jpeg"]
    if jpegs:
        src = min(jpegs, key=lambda r: abs(r.width - FALLBACK_WIDTH)).url
    else:
        widths = crop_widths(photo, crop) if crop else planned_widths(photo.width)
        src = rendition_url(photo, min(widths, key=lambda w: abs(w - FALLBACK_WIDTH)), "jpeg", crop)
    width, height = (photo.width, photo.height) if not crop else _aspect_size(photo, crop)
    loading = {"fetchpriority": "high"} if eager else {"loading": "lazy"}
    img = format_html(
        '<img src="{}"{} sizes="{}" width="{}" height="{}" alt="{}" decoding="async"{}>',
        src,
        _srcset_attr(jpegs),
        sizes,
        width,
        height,
        photo.alt,
        format_html_join("", ' {}="{}"', loading.items()),
    )
    sources = format_html_join(
        "",
        '<source type="image/{}"{} sizes="{}">',
        ((fmt, _srcset_attr(by_format[fmt]), sizes) for fmt in SOURCE_FORMATS if by_format[fmt]),
    )
    style = format_html(' style="background-image:url({})"', photo.placeholder) if photo.placeholder else ""
    return format_html('<picture class="photo"{}>{}{}</picture>', style, sources, img)


def _aspect_size(photo: Photo, crop: str) -> tuple[int, int]:
    _, _, width, height = crop_box(photo.width, photo.height, crop, Focus.from_dict(None))
    return width, height


def _srcset_attr(renditions):
    if not renditions:
        return ""
    return format_html(' srcset="{}"', ", ".join(f"{r.url} {r.width}w" for r in renditions))
