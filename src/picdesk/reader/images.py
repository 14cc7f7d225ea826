"""Serving renditions: to readers where the photo is in a live slideshow, to
the desk privately, made on demand when the worker has not got to a size yet."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from picdesk.photos.crops import ASPECTS
from picdesk.photos.models import FORMATS_BY_EXTENSION, Photo
from picdesk.photos.renditions import ensure_rendition, rendition_widths
from picdesk.roles import has_role
from picdesk.slideshows.models import Slideshow

ONE_DAY = 24 * 3600


@require_safe
def rendition(request, key: str, width: int, ext: str, crop: str = ""):
    """A rendition, by the photo's random public key.

    Only photos in a live slideshow are served to readers; desk users see
    all but killed ones, privately. A size the worker has not made yet is made
    now, so a page never shows a broken image.
    """
    fmt = FORMATS_BY_EXTENSION.get(ext)
    photo = Photo.objects.in_use().filter(public_key=key).first()
    if fmt is None or photo is None or crop and crop not in ASPECTS:
        raise Http404("No such image")
    if width not in rendition_widths(photo, crop):
        raise Http404("No such image")
    public = Slideshow.objects.live().filter(slides__photo=photo).exists()
    if not (public or has_role(request.user, "contributor")):
        raise Http404("No such image")
    found = ensure_rendition(photo, width, fmt, crop)
    response = FileResponse(default_storage.open(found.file, "rb"), content_type=f"image/{fmt}")
    # A day, not a year: a killed photo must leave caches soon; its key is
    # also replaced then, which orphans every cached URL at once. What only
    # the desk may see stays out of shared caches.
    response["Cache-Control"] = f"public, max-age={ONE_DAY}" if public else "private, no-store"
    return response
