"""Background work on slideshows: publishing scheduled ones on time."""

from django_tasks import task

from picdesk.audit.models import record
from picdesk.slideshows.exposure import sync_exposure
from picdesk.slideshows.publishing import publish_due


@task()
def expose_photos(photo_ids: list[int]) -> int:
    """Copy live photos' renditions into the public bucket (each checked
    again: one unpublished since is withdrawn instead)."""
    sync_exposure(photo_ids)
    return len(photo_ids)


@task()
def publish_due_slideshows() -> int:
    """Flip scheduled slideshows whose time has come to published. Readers
    see them from that moment anyway (``live()`` checks the time); this keeps
    the desk's state and audit log true."""
    due = publish_due()
    for slideshow in due:
        record(None, "published (scheduled)", slideshow=slideshow)
    return len(due)
