"""Background work on photos, run by the worker (``picdesk worker``).

The publishable renditions (JPEG, WebP) come first; AVIF, which costs as much
as all of them together, follows at a lower priority with the face detection
that crops need, so a worker always takes
a waiting photo's publishable set before anyone's AVIF.
"""

from django_tasks import task

from picdesk.photos.models import Photo
from picdesk.photos.renditions import make_background_renditions, make_renditions

AVIF_PRIORITY = -50


@task(queue_name="renditions")
def make_photo_renditions(photo_id: int) -> int:
    """Make a photo's publishable renditions, then queue its AVIF ones."""
    photo = Photo.objects.in_use().filter(pk=photo_id).first()
    if photo is None:  # killed before the worker got to it
        return 0
    made = len(make_renditions(photo))
    make_photo_avif.enqueue(photo_id)
    return made


@task(queue_name="renditions", priority=AVIF_PRIORITY)
def make_photo_avif(photo_id: int) -> int:
    """AVIF renditions, and the focus that crops keep."""
    photo = Photo.objects.in_use().filter(pk=photo_id).first()
    if photo is None:
        return 0
    return len(make_background_renditions(photo))
