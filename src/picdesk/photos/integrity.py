"""`picdesk check`: does storage agree with the database?

Every photo's original (a killed photo's in quarantine) must be present with
its SHA-256 (missing and altered are told apart); every rendition row must
have its file, of the size it was written with (a rendition cut or altered
is told apart from a missing one); files nobody refers to (left by a process
killed between writing a file and committing its row, or a temporary file of
one killed while writing) are orphans; every photo in use should have its
publishable renditions. With ``repair``, what can be rebuilt is, there and
then: orphans are removed, rows whose file is gone or altered are dropped and
the publishable renditions missing are made, so the next check is clean. A
missing or altered original cannot be rebuilt: it is reported, never touched,
and the report says where it can come back from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import ngettext

from picdesk.photos.models import Photo, Rendition
from picdesk.core import batches
from picdesk.core.batches import in_batches, progress_bar
from picdesk.core.config import setting
from picdesk.core.storage import being_written
from picdesk.photos.spec import PUBLISHABLE_FORMATS


@dataclass
class IntegrityReport:
    photos: int = 0  # in use
    killed: int = 0  # originals in quarantine, checked as well
    renditions: int = 0
    missing_originals: list[str] = field(default_factory=list)  # not repairable
    altered_originals: list[str] = field(default_factory=list)  # not repairable
    rows_without_files: list[str] = field(default_factory=list)
    altered_renditions: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)
    incomplete_photos: list[int] = field(default_factory=list)
    repaired: bool = False

    @property
    def bad_originals(self) -> list[str]:
        return self.missing_originals + self.altered_originals

    @property
    def clean(self) -> bool:
        return not (self.bad_originals or self.rows_without_files or self.altered_renditions
                    or self.orphan_files or self.incomplete_photos)

    def lines(self) -> list[str]:
        counts = [ngettext("%d photo", "%d photos", self.photos) % self.photos]
        if self.killed:
            counts.append(ngettext("%d killed photo in quarantine", "%d killed photos in quarantine",
                                   self.killed) % self.killed)
        counts.append(ngettext("%d rendition", "%d renditions", self.renditions) % self.renditions)
        out = [", ".join(counts) + " checked"]
        out += [f"original missing: {name}" for name in self.missing_originals]
        out += [f"original altered (its SHA-256 differs): {name}" for name in self.altered_originals]
        out += [f"rendition row without its file: {name}" for name in self.rows_without_files]
        out += [f"rendition altered (its size differs): {name}" for name in self.altered_renditions]
        out += [f"file no row refers to: {name}" for name in self.orphan_files]
        out += [f"photo {pk} lacks publishable renditions" for pk in self.incomplete_photos]
        if self.repaired:
            out.append("repaired: orphans removed, dead rows dropped, missing renditions made")
        elif not self.clean and not self.only_originals_wrong:
            out.append("run `picdesk check --repair` to rebuild what can be rebuilt")
        if self.bad_originals:
            out.append("an original cannot be rebuilt: copy it back under the same name from a backup "
                       "(`picdesk export` archives hold every original by that name)")
        return out

    @property
    def only_originals_wrong(self) -> bool:
        return not (self.rows_without_files or self.altered_renditions or self.orphan_files
                    or self.incomplete_photos)


def check(repair: bool = False, quick: bool = False, progress: bool | None = False) -> IntegrityReport:
    """Storage against the database, in batches (memory stays flat at a
    million photos). ``quick`` compares originals by size, not by SHA-256:
    reading every original of a big archive takes hours, its sizes minutes.
    ``progress`` shows a bar (None: on a terminal)."""
    report = IntegrityReport()
    photos = Photo.objects.only("original", "sha256", "file_size", "killed_at")
    renditions = Rendition.objects.only("file", "file_size")
    with progress_bar(photos.count() + renditions.count(), "checking", progress) as bar:
        for batch in in_batches(photos):
            _check_originals(report, batch, quick)
            bar.update(len(batch))
        for batch in in_batches(renditions):
            _check_renditions(report, batch)
            bar.update(len(batch))
    report.orphan_files = sorted(_orphans())
    if repair:
        _repair(report)
    report.incomplete_photos = incomplete_photo_ids()
    if repair and report.incomplete_photos:
        _make_missing_renditions(report.incomplete_photos)
        report.incomplete_photos = incomplete_photo_ids()  # those whose original is gone
    return report


def _check_originals(report: IntegrityReport, photos: list[Photo], quick: bool) -> None:
    for photo in photos:
        if photo.killed_at:
            report.killed += 1
        else:
            report.photos += 1
        if not default_storage.exists(photo.original):
            report.missing_originals.append(photo.original)
        elif not (_original_size_right(photo) if quick else _original_intact(photo)):
            report.altered_originals.append(photo.original)


def _check_renditions(report: IntegrityReport, renditions: list[Rendition]) -> None:
    for rendition in renditions:
        report.renditions += 1
        if not default_storage.exists(rendition.file):
            report.rows_without_files.append(rendition.file)
        elif default_storage.size(rendition.file) != rendition.file_size:
            report.altered_renditions.append(rendition.file)


def _orphans():
    """Files in storage no row refers to, looked up a batch of names at a
    time (indexed), never by holding every known name at once."""
    for folder, known in (("originals", _known_originals), ("quarantine", _known_originals),
                          ("renditions", _known_renditions)):
        names = []
        for name in _files(folder):
            if being_written(default_storage, name):
                continue  # whole and named, or gone, in a moment
            names.append(name)
            if len(names) == batches.BATCH:
                yield from set(names) - known(names)
                names = []
        yield from set(names) - known(names)


def _known_originals(names: list[str]) -> set[str]:
    # Distinct: the answer is at most the batch, whatever refers to each name.
    return set(Photo.objects.filter(original__in=names).order_by().values_list("original", flat=True).distinct())


def _known_renditions(names: list[str]) -> set[str]:
    return set(Rendition.objects.filter(file__in=names).order_by().values_list("file", flat=True).distinct())


def _original_size_right(photo: Photo) -> bool:
    return default_storage.size(photo.original) == photo.file_size


def _original_intact(photo: Photo) -> bool:
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
    for name in report.orphan_files + report.altered_renditions:
        default_storage.delete(name)
    Rendition.objects.filter(file__in=report.rows_without_files + report.altered_renditions).delete()
    report.repaired = True


def _make_missing_renditions(photo_ids: list[int]) -> None:
    """Now, not by a worker: the operator's next check should find them."""
    from picdesk.photos.renditions import make_renditions

    for photo in Photo.objects.in_use().filter(pk__in=photo_ids, original__in=_whole_originals(photo_ids)):
        make_renditions(photo)


def _whole_originals(photo_ids: list[int]) -> list[str]:
    return [name for name in Photo.objects.filter(pk__in=photo_ids).values_list("original", flat=True)
            if default_storage.exists(name)]


def incomplete_photo_ids() -> list[int]:
    """Photos in use lacking some publishable rendition (full frame); a killed
    photo has none, on purpose. One query, answered from the renditions'
    unique index: a photo lacks one of the configured widths narrower than
    itself, or its own width where that is within them (``planned_widths``)."""
    widths = setting("PICDESK_RENDITION_WIDTHS")
    lacks = Q()
    for fmt in PUBLISHABLE_FORMATS:
        made = Rendition.objects.filter(photo=OuterRef("pk"), crop="", format=fmt)
        for width in widths:
            lacks |= Q(width__gt=width) & ~Exists(made.filter(width=width))
        lacks |= Q(width__lte=widths[-1]) & ~Exists(made.filter(width=OuterRef("width")))
    return list(Photo.objects.in_use().filter(lacks).order_by("pk").values_list("pk", flat=True))


def enqueue_missing_renditions() -> int:
    """Queue the publishable renditions of every photo lacking some: work a
    killed worker or import left undone. Making renditions is idempotent, so
    queuing one twice costs a lookup, never a second copy."""
    from picdesk.photos.tasks import make_photo_renditions

    missing = incomplete_photo_ids()
    for photo_id in missing:
        make_photo_renditions.enqueue(photo_id)
    return len(missing)
