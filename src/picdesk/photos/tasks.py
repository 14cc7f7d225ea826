"""Background work on photos, run by the worker (``picdesk worker``)."""

from django_tasks import task

from picdesk.photos.models import Photo
from picdesk.photos.renditions import make_renditions


@task(queue_name="renditions")
def make_photo_renditions(photo_id: int) -> int:
    """Make a photo's publishable renditions; returns how many it has."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted before the worker got to it
        return 0
    return len(make_renditions(photo))
