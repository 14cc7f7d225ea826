"""`picdesk check`: does storage agree with the database?

Every photo's original (a killed photo's in quarantine) must be present with
its SHA-256; every rendition row must have its file; files nobody refers to
(left by a process killed between writing a file and committing its row) are
orphans; every photo in use should have its publishable renditions. With ``repair``, what can be rebuilt is: orphans
are removed, rows whose file is gone are dropped, and missing renditions are
queued for the worker. A missing or altered original cannot be rebuilt: it is
reported, never touched.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils.translation import ngettext

from picdesk.photos.models import Photo, Rendition
from picdesk.photos.spec import PUBLISHABLE_FORMATS, planned_widths


@dataclass
class IntegrityReport:
    photos: int = 0  # in use
    killed: int = 0  # originals in quarantine, checked as well
    renditions: int = 0
    bad_originals: list[str] = field(default_factory=list)  # missing or altered: not repairable
    rows_without_files: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)
    incomplete_photos: list[int] = field(default_factory=list)
    repaired: bool = False

    @property
    def clean(self) -> bool:
        return not (self.bad_originals or self.rows_without_files or self.orphan_files
                    or self.incomplete_photos)

    def lines(self) -> list[str]:
        counts = [ngettext("%d photo", "%d photos", self.photos) % self.photos]
        if self.killed:
            counts.append(ngettext("%d killed photo in quarantine", "%d killed photos in quarantine",
                                   self.killed) % self.killed)
        counts.append(ngettext("%d rendition", "%d renditions", self.renditions) % self.renditions)
        out = [", ".join(counts) + " checked"]
        out += [f"original missing or altered: {name}" for name in self.bad_originals]
        out += [f"rendition row without its file: {name}" for name in self.rows_without_files]
        out += [f"file no row refers to: {name}" for name in self.orphan_files]
        out += [f"photo {pk} lacks publishable renditions" for pk in self.incomplete_photos]
        if self.repaired:
            out.append("repaired: orphans removed, dead rows dropped, missing renditions queued")
        elif not self.clean:
            out.append("run `picdesk check --repair` to rebuild what can be rebuilt")
        return out


def check(repair: bool = False) -> IntegrityReport:
    report = IntegrityReport()
    known_originals = set()
    for photo in Photo.objects.iterator():
        if photo.killed_at:
            report.killed += 1
        else:
            report.photos += 1
        known_originals.add(photo.original)
        if not _original_intact(photo):
            report.bad_originals.append(photo.original)
    known_renditions = set()
    for rendition in Rendition.objects.iterator():
        report.renditions += 1
        if default_storage.exists(rendition.file):
            known_renditions.add(rendition.file)
        else:
            report.rows_without_files.append(rendition.file)
    report.orphan_files = sorted(
        (set(_files("originals")) | set(_files("quarantine"))) - known_originals
        | set(_files("renditions")) - known_renditions
    )
    if repair:
        _repair(report)
    report.incomplete_photos = incomplete_photo_ids()
    if repair:
        enqueue_missing_renditions()
    return report


def _original_intact(photo: Photo) -> bool:
    if not default_storage.exists(photo.original):
        return False
    digest = hashlib.sha256()
    with default_storage.open(photo.original, "rb") as original:
        for block in iter(lambda: original.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == photo.sha256


def _files(folder: str):
    """Every file below ``folder`` in storage, as storage names."""
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _files(f"{folder}/{directory}")


def _repair(report: IntegrityReport) -> None:
    for name in report.orphan_files:
        default_storage.delete(name)
    Rendition.objects.filter(file__in=report.rows_without_files).delete()
    report.repaired = True


def incomplete_photo_ids() -> list[int]:
    """Photos in use lacking some publishable rendition (full frame); a killed
    photo has none, on purpose."""
    have: dict[int, set] = {}
    for photo_id, width, fmt in Rendition.objects.filter(crop="").values_list("photo_id", "width", "format"):
        have.setdefault(photo_id, set()).add((width, fmt))
    return [
        pk for pk, width in Photo.objects.in_use().values_list("pk", "width")
        if any((w, f) not in have.get(pk, set()) for w in planned_widths(width) for f in PUBLISHABLE_FORMATS)
    ]


def enqueue_missing_renditions() -> int:
    """Queue the publishable renditions of every photo lacking some: work a
    killed worker or import left undone. Making renditions is idempotent, so
    queuing one twice costs a lookup, never a second copy."""
    from picdesk.photos.tasks import make_photo_renditions

    missing = incomplete_photo_ids()
    for photo_id in missing:
        make_photo_renditions.enqueue(photo_id)
    return len(missing)
