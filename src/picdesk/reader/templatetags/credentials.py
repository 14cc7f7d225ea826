"""``{% source_label photo %}`` and ``{% content_credentials photo %}``: a
photo's provenance as readers see it, wherever the photo appears."""

from django import template
from django.utils.html import format_html

from picdesk.photos.disclosure import disclosure_for

register = template.Library()


@register.simple_tag
def source_label(photo):
    """"AI-generated", "Composite", ...: visible text beside the picture, so
    screen readers say it too; nothing for an ordinary photograph."""
    label = photo.source_label
    return format_html('<span class="source-label">{}</span>', label) if label else ""


@register.inclusion_tag("reader/credentials.html", takes_context=True)
def content_credentials(context, photo, link: str = "", anchor: str = ""):
    """The "Content Credentials" disclosure (a <details>: no JavaScript);
    ``link``: where the photo's page shows it; ``anchor``: this one's id."""
    return {"disclosure": disclosure_for(photo), "link": link, "anchor": anchor, "site": context.get("site")}
