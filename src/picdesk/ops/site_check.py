"""What ``picdesk check`` asks beyond storage against the database
(``photos.integrity``): whether the public bucket holds exactly the
renditions of live photos, whether every photo has its WebP and AVIF, and
which background tasks failed every retry. With ``repair``, each is put
right: copies made or withdrawn, the missing formats and the failed tasks
queued again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from picdesk.core.config import setting
from picdesk.photos.models import Photo, Rendition
from picdesk.photos.public import public_storage
from picdesk.photos.spec import BACKGROUND_FORMATS
from picdesk.photos.storage_names import public_name_of
from picdesk.slideshows.models import Slide, Slideshow

SHOWN = 20  # names or ids listed per problem; the count says the rest


@dataclass
class SiteReport:
    exposed_not_live: list[int] = field(default_factory=list)  # photo ids
    live_not_exposed: list[int] = field(default_factory=list)
    copies_missing: list[tuple[int, str]] = field(default_factory=list)  # (rendition id, public name)
    without_modern_formats: list[int] = field(default_factory=list)
    failed_tasks: list[str] = field(default_factory=list)
    # Tasks waiting or running: copies and formats not there yet may be on their way.
    queued_tasks: int = 0
    repaired: bool = False

    @property
    def clean(self) -> bool:
        return not (self.exposed_not_live or self.copies_missing or self.failed_tasks
                    or (not self.queued_tasks and (self.live_not_exposed or self.without_modern_formats)))

    def lines(self) -> list[str]:
        out = []
        waiting = f" (perhaps among the {self.queued_tasks} tasks queued: check again once the workers are done)"
        later = waiting if self.queued_tasks else ""
        for what, items in [
            ("photos readers may not see with copies in the public bucket", self.exposed_not_live),
            ("live photos with renditions not in the public bucket" + later, self.live_not_exposed),
            ("public copies missing from the bucket", [name for _, name in self.copies_missing]),
            ("photos without their WebP or AVIF renditions" + later, self.without_modern_formats),
            ("tasks that failed every retry", self.failed_tasks),
        ]:
            if items:
                shown = ", ".join(str(item) for item in items[:SHOWN])
                more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
                out.append(f"{len(items)} {what}: {shown}{more}")
        if self.repaired and not self.clean:
            out.append("repaired: copies withdrawn and made, formats and failed tasks queued again")
        return out


def check_site(repair: bool = False, quick: bool = False) -> SiteReport:
    """``quick`` trusts each rendition's ``public`` flag instead of asking the
    bucket for every copy."""
    report = SiteReport()
    if public_storage() is not None:
        report.exposed_not_live = _ids(Rendition.objects.filter(public=True).exclude(_live_photo()))
        report.live_not_exposed = _ids(Rendition.objects.filter(_live_photo(), public=False))
        if not quick:
            report.copies_missing = list(_copies_missing())
    report.without_modern_formats = _without_modern_formats()
    report.failed_tasks = failed_tasks()
    report.queued_tasks = queued_tasks()
    if repair and not report.clean:
        _repair(report)
    return report


def _live_photo() -> Q:
    live_slides = Slide.objects.filter(photo=OuterRef("photo"), slideshow__in=Slideshow.objects.live())
    return Q(Exists(live_slides), photo__killed_at__isnull=True)


def _ids(renditions) -> list[int]:
    return list(renditions.order_by("photo_id").values_list("photo_id", flat=True).distinct())


def _copies_missing():
    """(rendition id, public name) of each copy its row says is there and is not."""
    public = public_storage()
    for rendition in Rendition.objects.filter(public=True).select_related("photo").iterator(chunk_size=2000):
        if not public.exists(name := public_name_of(rendition)):
            yield rendition.pk, name


def _without_modern_formats() -> list[int]:
    lacks = Q()
    for fmt in BACKGROUND_FORMATS:
        lacks |= ~Exists(Rendition.objects.filter(photo=OuterRef("pk"), crop="", format=fmt))
    return list(Photo.objects.in_use().filter(lacks).order_by("pk").values_list("pk", flat=True))


def failed_tasks() -> list[str]:
    """'name (id)' of every task that failed for good, on whichever queue."""
    if setting("PICDESK_BROKER_URL"):
        return [f"{job.func_name} ({job.id})" for job in _failed_jobs()]
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("enqueued_at")
    return [f"{task.task_path} ({task.id})" for task in failed.only("id", "task_path")]


def queued_tasks() -> int:
    """Tasks waiting to run now or running (not those scheduled for later)."""
    if setting("PICDESK_BROKER_URL"):
        import django_rq
        from django.conf import settings

        queues = [django_rq.get_queue(name) for name in settings.RQ_QUEUES]
        return sum(queue.count + queue.started_job_registry.count for queue in queues)
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    # django-tasks-db files a task to run at once as due at get_date_max().
    due = Q(run_after__lte=timezone.now()) | Q(run_after=get_date_max())
    return DBTaskResult.objects.filter(due, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()


def _failed_jobs():
    import django_rq
    from django.conf import settings

    for name in settings.RQ_QUEUES:
        registry = django_rq.get_queue(name).failed_job_registry
        jobs = registry.job_class.fetch_many(registry.get_job_ids(), connection=registry.connection)
        yield from (job for job in jobs if job is not None)


def _repair(report: SiteReport) -> None:
    from picdesk.photos.tasks import make_photo_modern_formats
    from picdesk.slideshows.exposure import sync_exposure

    sync_exposure(sorted(set(report.exposed_not_live + report.live_not_exposed)))
    if report.copies_missing:
        missing = Rendition.objects.filter(pk__in=[pk for pk, _ in report.copies_missing])
        photo_ids = sorted(set(missing.values_list("photo_id", flat=True)))
        missing.update(public=False)  # which makes them copied again
        sync_exposure(photo_ids)
    for photo_id in report.without_modern_formats:
        make_photo_modern_formats.enqueue(photo_id)
    _requeue_failed_tasks()
    report.repaired = True


def _requeue_failed_tasks() -> None:
    if setting("PICDESK_BROKER_URL"):
        import django_rq
        from django.conf import settings

        for name in settings.RQ_QUEUES:
            registry = django_rq.get_queue(name).failed_job_registry
            for job_id in registry.get_job_ids():
                registry.requeue(job_id)
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, started_at=None, finished_at=None)
