"""Background work on photos, run by the worker (``picdesk worker``).

The publishable renditions (JPEG) come first; WebP and AVIF, which cost
several times as much, follow at a lower priority with the face detection that
crops need, so a worker always takes a waiting photo's publishable set before
anyone's modern formats.
"""

from django_tasks import task

from picdesk.core import effects
from picdesk.core.caching import photo_key
from picdesk.core.metrics import RENDERS
from picdesk.photos.locks import rendering
from picdesk.photos.models import Photo
from picdesk.photos.public import public_storage
from picdesk.photos.renditions import make_background_renditions, make_renditions
from picdesk.core.purging import purge

MODERN_FORMATS_PRIORITY = -50


@task(queue_name="renditions")
def make_photo_renditions(photo_id: int) -> int:
    """Make a photo's publishable renditions, then queue its WebP and AVIF
    ones. Returns how many it made: none when another worker is at it."""
    photo = Photo.objects.in_use().filter(pk=photo_id).first()
    if photo is None:  # killed before the worker got to it
        return 0
    with rendering(photo_id, "publishable", wait=True) as mine:
        if not mine:
            return 0
        have = photo.renditions.filter(crop="").count()
        with RENDERS.labels("publishable").time():
            made = len(make_renditions(photo)) - have
    make_photo_modern_formats.enqueue(photo_id)
    _purge_pages_showing(photo, made)
    return made


@task(queue_name="renditions", priority=MODERN_FORMATS_PRIORITY)
def make_photo_modern_formats(photo_id: int) -> int:
    """WebP and AVIF renditions, and the focus that crops keep."""
    photo = Photo.objects.in_use().filter(pk=photo_id).first()
    if photo is None:
        return 0
    with rendering(photo_id, "background", wait=True) as mine, RENDERS.labels("modern formats").time():
        made = len(make_background_renditions(photo)) if mine else 0
    _purge_pages_showing(photo, made)
    return made


def _purge_pages_showing(photo: Photo, made: int) -> None:
    """Pages list the renditions that exist: those showing ``photo`` are
    stale once it has new ones (only a photo in a slideshow can be shown).
    Where the photo is live its new renditions follow it into the public
    bucket (the "exposure" effect decides whether it is)."""
    if made and photo.slides.exists():
        purge({photo_key(photo.pk)})
        if public_storage() is not None:
            effects.declare("exposure", {photo.pk})


# The name of this task before WebP joined it: tasks queued then still run.
make_photo_avif = make_photo_modern_formats


@task(queue_name="renditions")
def queue_missing_renditions() -> int:
    """Queue the publishable renditions a killed process left unmade (one
    query: photos.integrity); queued by ``picdesk serve`` at start, so a large
    archive's scan never delays its first answer."""
    from picdesk.photos.integrity import enqueue_missing_renditions

    return enqueue_missing_renditions()


@task(queue_name="renditions")
def index_near_copies() -> bool:
    """Index the picture hashes of an archive from before the near-copy index
    (photos.near_copies), queued by ``picdesk serve`` at start where it is
    empty: at a million photos it takes an hour, which no upgrade waits for."""
    from picdesk.photos import near_copies

    if not near_copies.unindexed():
        return False
    near_copies.rebuild()
    return True
