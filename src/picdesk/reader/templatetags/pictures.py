"""``{% picture %}``: responsive image markup from whatever renditions exist now.

Renditions are made in the background, so a page may be rendered before all
of them exist: ``srcset`` lists only the ones that do, and a photo with none
yet points at one size the rendition view makes on demand.
"""

from django import template
from django.utils.html import format_html, format_html_join

from picdesk.photos.models import Photo, rendition_url
from picdesk.photos.renditions import planned_widths

register = template.Library()

FALLBACK_WIDTH = 640


@register.simple_tag
def picture(photo: Photo, sizes: str = "100vw", eager: bool = False):
    # photo.renditions.all() uses the view's prefetch: no query per photo.
    renditions = sorted(photo.renditions.all(), key=lambda r: r.width)
    by_format = {
        fmt: [r for r in renditions if r.format == fmt] for fmt in ("avif", "webp", "jpeg")
    }
    jpegs = by_format["jpeg"]
    if jpegs:
        src = _closest(jpegs, FALLBACK_WIDTH).url
    else:
        widths = planned_widths(photo.width)
        src = rendition_url(photo, min(widths, key=lambda w: abs(w - FALLBACK_WIDTH)), "jpeg")
    loading = {"fetchpriority": "high"} if eager else {"loading": "lazy"}
    img = format_html(
        '<img src="{}"{} sizes="{}" width="{}" height="{}" alt="{}" decoding="async"{}>',
        src,
        _srcset_attr(jpegs),
        sizes,
        photo.width,
        photo.height,
        photo.alt,
        format_html_join("", ' {}="{}"', loading.items()),
    )
    # Browsers take the first <source> they can decode: smallest format first.
    sources = format_html_join(
        "",
        '<source type="image/{}"{} sizes="{}">',
        ((fmt, _srcset_attr(by_format[fmt]), sizes) for fmt in ("avif", "webp") if by_format[fmt]),
    )
    style = format_html(' style="background-image:url({})"', photo.placeholder) if photo.placeholder else ""
    return format_html('<picture class="photo"{}>{}{}</picture>', style, sources, img)


def _closest(renditions, width):
    return min(renditions, key=lambda r: abs(r.width - width))


def _srcset_attr(renditions):
    if not renditions:
        return ""
    return format_html(
        ' srcset="{}"', ", ".join(f"{r.url} {r.width}w" for r in renditions)
    )
