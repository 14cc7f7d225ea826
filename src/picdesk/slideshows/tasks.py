"""Background work on slideshows: publishing scheduled ones on time, and
withdrawing photos the moment a rights lease stops allowing their use."""

from django_tasks import task

from picdesk.audit.models import record
from picdesk.slideshows.exposure import sync_exposure
from picdesk.slideshows.publishing import publish_due
from picdesk.slideshows.rights_gate import withdraw_forbidden


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


@task()
def withdraw_at_lease_boundary() -> int:
    """Queued to run when a lease starts or ends (``rights_gate.add_lease``):
    the photos it now forbids leave every live slideshow then, not at the
    next sweep (which stays the net for a job lost on the way)."""
    return withdraw_forbidden()
