"""``picdesk import``'s runner.

``import_paths`` ingests files and folders on a process per CPU, each file with
its publishable renditions, then makes one slideshow of them in file order.
A file that cannot be taken is reported by name with its reason and the rest
are imported; nothing of the bad file is kept.

Spawned children import this module before Django is set up: picdesk's
models are imported inside the functions that run there, after
``memory.start_child``.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from picdesk.core.config import setting
from picdesk.core.folders import FolderScan, scan
from picdesk.core.memory import process_environment, release_memory, start_child

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """One file's result, as it travels back from a child: plain values only."""

    photo_id: int | None
    created: bool = False
    name: str = ""
    reason: str = ""


def ingest_one(path: str, render: bool = True) -> Outcome:
    """Ingest one file (in a child or not) with its publishable renditions,
    or with ``render`` False leaving them queued for the workers."""
    from picdesk.photos.ingest import IngestError, ingest_file

    try:
        result = ingest_file(Path(path), render=render)
    except IngestError as exc:
        return Outcome(None, name=exc.name, reason=exc.reason)
    except Exception as exc:  # a service that dropped, or a fault: this file is reported, the others go on
        logger.exception("%s was not imported", path)
        return Outcome(None, name=Path(path).name, reason=f"not imported ({type(exc).__name__}: {exc}); "
                                                           "import it again")
    finally:
        release_memory()
    return Outcome(result.photo.pk, result.created)


@dataclass
class ImportReport:
    photos: list = field(default_factory=list)
    reused: list[tuple[str, object]] = field(default_factory=list)
    failures: list = field(default_factory=list)  # IngestError, one per file refused
    scan: FolderScan = field(default_factory=FolderScan)
    slideshow: object = None
    not_published: str = ""  # why the slideshow was made a draft instead (its photos' rights)

    @property
    def ok(self) -> bool:
        """The exit-status rule: something was imported, no photo file was
        refused, and the slideshow is as asked."""
        return bool(self.photos) and not self.failures and not self.not_published


def import_paths(
    paths: list[Path],
    *,
    title: str,
    summary: str = "",
    published_at: dt.datetime | None = None,
    publish: bool = False,
    progress: bool = True,
    processes: int | None = None,
    render: bool = True,
    confirmed: bool = False,
) -> ImportReport:
    """Ingest every photo file found (with its publishable renditions, unless
    ``render`` is False: then the background workers make them) on
    ``processes`` processes, one per CPU by default, then make the slideshow
    in file order. Where the photos' rights forbid publishing it (``confirmed``:
    an editor has checked those that ask), the slideshow is a draft and the
    report says why: the photos stay imported."""
    from tqdm import tqdm

    from picdesk.audit.models import Actor
    from picdesk.photos.ingest import IngestError
    from picdesk.slideshows.publishing import create_slideshow
    from picdesk.slideshows.rights_gate import RightsRefused

    report = ImportReport(scan=scan(paths))
    files = report.scan.photos
    bar = tqdm(total=len(files), desc="importing", unit="file", disable=not progress)
    for path, outcome in zip(files, _ingest_all(files, processes, bar.update, render)):
        if isinstance(outcome, IngestError):
            report.failures.append(outcome)
            continue
        photo, created = outcome
        if not created:
            report.reused.append((path.name, photo))
        if all(p.pk != photo.pk for p in report.photos):
            report.photos.append(photo)
    bar.close()
    if report.photos:
        by = Actor("cli", sender="picdesk import")
        try:
            report.slideshow = create_slideshow(title, report.photos, summary=summary, published_at=published_at,
                                                publish=publish, by=by, confirmed=confirmed)
        except RightsRefused as refusal:
            report.not_published = str(refusal)
            report.slideshow = create_slideshow(title, report.photos, summary=summary, by=by)
    return report


def _ingest_all(files: list[Path], processes: int | None, done, render: bool) -> list:
    """(photo, created) or IngestError for each file, in the order given."""
    from django.db import connections

    from picdesk.photos.ingest import IngestError
    from picdesk.photos.models import Photo

    processes = min(processes or setting("PICDESK_WORKERS"), len(files))
    if processes <= 1:
        outcomes = []
        for path in files:
            outcomes.append(ingest_one(str(path), render))
            done(1)
    else:
        # Decoding and encoding release the GIL, but exiv2 and the glue around
        # them do not: processes, not threads. "spawn", because libvips' thread
        # pool does not survive a fork.
        connections.close_all()
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context, initializer=start_child,
                                 initargs=(process_environment(processes),)) as pool:
            futures = [pool.submit(ingest_one, str(path), render) for path in files]
            for _ in as_completed(futures):
                done(1)
            outcomes = [future.result() for future in futures]
    photos = Photo.objects.in_bulk([o.photo_id for o in outcomes if o.photo_id])
    return [
        (photos[o.photo_id], o.created) if o.photo_id else IngestError(o.name, o.reason)
        for o in outcomes
    ]
