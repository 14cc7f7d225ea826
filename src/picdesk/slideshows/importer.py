"""``picdesk import``: files and folders in, one slideshow out.

A file that cannot be taken is reported by name with its reason and the rest
are imported; nothing of the bad file is kept.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from picdesk.config import setting
from picdesk.photos import batch
from picdesk.photos.ingest import IngestError, find_images
from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slideshow
from picdesk.server import batch_environment
from picdesk.slideshows.publishing import create_slideshow


def parse_publication_time(text: str | None) -> dt.datetime | None:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO 8601 date-time (UTC when it names
    no offset); None for none given."""
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day:
        moment = dt.datetime.combine(day, dt.time())
    if moment is None:
        raise ValueError(f"--date {text!r} is not YYYY-MM-DD or an ISO 8601 date-time")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


@dataclass
class ImportReport:
    photos: list[Photo] = field(default_factory=list)
    reused: list[tuple[str, Photo]] = field(default_factory=list)
    failures: list[IngestError] = field(default_factory=list)
    slideshow: Slideshow | None = None

    def lines(self) -> list[str]:
        out = [
            f"already imported: {name} (photo {photo.pk}, reused)" for name, photo in self.reused
        ]
        if self.slideshow:
            state = "published" if self.slideshow.status == Slideshow.Status.PUBLISHED else "draft"
            out.append(
                f"imported {_photos(len(self.photos))} into {state} slideshow "
                f"“{self.slideshow.title}” at {self.slideshow.get_absolute_url()}"
            )
        else:
            out.append("no photos imported; no slideshow made")
        if self.failures:
            out.append(f"{len(self.failures)} of the files could not be imported")
        return out


def _photos(n: int) -> str:
    return "1 photo" if n == 1 else f"{n} photos"


def import_paths(
    paths: list[Path],
    *,
    title: str,
    summary: str = "",
    published_at: dt.datetime | None = None,
    publish: bool = False,
    progress: bool = True,
    processes: int | None = None,
) -> ImportReport:
    """Ingest every file (with its publishable renditions) on ``processes``
    processes, one per CPU by default, then make the slideshow in file order."""
    report = ImportReport()
    files = find_images(paths)
    bar = tqdm(total=len(files), desc="importing", unit="file", disable=not progress)
    for path, outcome in zip(files, _ingest_all(files, processes, bar.update)):
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
        report.slideshow = create_slideshow(
            title, report.photos, summary=summary, published_at=published_at, publish=publish
        )
    return report


def _ingest_all(files: list[Path], processes: int | None, done) -> list:
    """(photo, created) or IngestError for each file, in the order given."""
    processes = min(processes or setting("PICDESK_WORKERS"), len(files))
    if processes <= 1:
        outcomes = []
        for path in files:
            outcomes.append(batch.ingest_one(str(path)))
            done(1)
    else:
        # Decoding and encoding release the GIL, but exiv2 and the glue around
        # them do not: processes, not threads. "spawn", because libvips' thread
        # pool does not survive a fork.
        connections.close_all()
        os.environ.update(batch_environment(processes))  # what the spawned children start with
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context, initializer=batch.start) as pool:
            futures = [pool.submit(batch.ingest_one, str(path)) for path in files]
            for _ in as_completed(futures):
                done(1)
            outcomes = [future.result() for future in futures]
    photos = Photo.objects.in_bulk([o.photo_id for o in outcomes if o.photo_id])
    return [
        (photos[o.photo_id], o.created) if o.photo_id else IngestError(o.name, o.reason)
        for o in outcomes
    ]
