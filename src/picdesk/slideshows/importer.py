"""``picdesk import``: files and folders in, one slideshow out.

A file that cannot be taken is reported by name with its reason and the rest
are imported; nothing of the bad file is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from picdesk.photos.ingest import IngestError, find_images, ingest_file
from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slideshow
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
) -> ImportReport:
    report = ImportReport()
    files = find_images(paths)
    for path in tqdm(files, desc="importing", unit="file", disable=not progress):
        try:
            result = ingest_file(path)
        except IngestError as exc:
            report.failures.append(exc)
            continue
        if not result.created:
            report.reused.append((path.name, result.photo))
        if all(p.pk != result.photo.pk for p in report.photos):
            report.photos.append(result.photo)
    if report.photos:
        report.slideshow = create_slideshow(
            title, report.photos, summary=summary, published_at=published_at, publish=publish
        )
    return report
