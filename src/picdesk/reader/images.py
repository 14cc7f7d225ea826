"""Serving renditions: to readers where the photo is in a live slideshow, to
the desk privately, made on demand when the worker has not got to a size yet.

On the embedded default the bytes come from here. With object storage they
never pass through Python: a live photo's rendition is copied to the public
bucket (photos.public) and the reader sent there; the desk gets a presigned,
short-lived URL of the private one.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from picdesk.core.caching import tag_photos
from picdesk.core.config import setting
from picdesk.photos import public as public_bucket
from picdesk.photos.spec import ASPECTS
from picdesk.photos.models import Photo
from picdesk.photos.spec import FORMATS_BY_EXTENSION
from picdesk.photos.storage_names import crop_folder, rendition_urls
from picdesk.photos.on_demand import RETRY_AFTER, RenderBusy, rendition_now
from picdesk.photos.renditions import rendition_widths
from picdesk.core.roles import has_role
from picdesk.slideshows.models import is_live

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
    folder, crop = crop, crop.partition("-")[0]
    if fmt is None or photo is None or crop and crop not in ASPECTS:
        raise Http404("No such image")
    if width not in rendition_widths(photo, crop):
        raise Http404("No such image")
    public = is_live(photo)
    if not (public or has_role(request.user, "contributor")):
        raise Http404("No such image")
    if folder != crop_folder(photo, crop):
        # A crop placed before the editor moved it: never its old picture.
        (current,) = rendition_urls(photo, [width], fmt, crop)
        response = HttpResponseRedirect(current)
        response["Cache-Control"] = "no-cache"
        return response
    try:
        found = rendition_now(photo, width, fmt, crop)
    except RenderBusy:
        return _come_back_soon()
    tag_photos([photo])
    # Browsers keep it a day, not a year: a killed photo must leave caches
    # soon; its key is also replaced then, which orphans every cached URL at
    # once. Shared caches keep it until purged (its photo's key). What only
    # the desk may see stays out of shared caches.
    shared = setting("PICDESK_SHARED_MAX_AGE")
    cache_control = f"public, max-age={ONE_DAY}, s-maxage={shared}" if public else "private, no-store"
    if public and public_bucket.public_storage():
        public_bucket.expose([found])
        (url,) = rendition_urls(photo, [width], fmt, crop, public=frozenset([width]))
        response = HttpResponseRedirect(url)
    elif setting("PICDESK_S3_BUCKET"):
        # The private bucket, by a URL that expires before any cache would keep it.
        response = HttpResponseRedirect(default_storage.url(found.file))
        cache_control = "private, no-store"
    else:
        response = FileResponse(default_storage.open(found.file, "rb"), content_type=f"image/{fmt}")
        response["ETag"] = f'"r{found.pk}-{found.file_size}"'  # a remade rendition is a new row
    response["Cache-Control"] = cache_control
    return response


def _come_back_soon() -> HttpResponse:
    """Too many renders under way: a browser or cache asks again shortly."""
    response = HttpResponse("Busy making images; try again in a moment.\n", status=503,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
