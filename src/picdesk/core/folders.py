"""Which files of the folders an operator names are photos to import, and why
each of the others is left out. No Django here: spawned import processes load
this before Django is set up.

Files named one by one are always tried, sidecars aside (ingest says why one is refused);
in a folder, searched recursively in file-name order, only files with a photo
suffix are, and every other file is named with the reason it was skipped.
An XMP sidecar beside a photo (``a.xmp`` as Lightroom writes it, ``a.jpg.xmp``
as Photo Mechanic and darktable do: ``sidecar_of``) is read with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".avif"}
SIDECAR_SUFFIX = ".xmp"


@dataclass
class FolderScan:
    photos: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def scan(paths: list[Path]) -> FolderScan:
    found = FolderScan()
    for path in paths:
        if path.suffix.lower() == SIDECAR_SUFFIX:
            found.skipped.append((path, skip_reason(path)))
        elif not path.is_dir():
            found.photos.append(path)
        if not path.is_dir():
            continue
        for entry in sorted((p for p in path.rglob("*") if p.is_file()), key=lambda p: (p.name.lower(), str(p))):
            reason = skip_reason(entry)
            if reason:
                found.skipped.append((entry, reason))
            else:
                found.photos.append(entry)
    return found


def skip_reason(path: Path) -> str:
    """Why a file found in a folder is not imported, or "" when it is a photo file."""
    suffix = path.suffix.lower()
    if path.name.startswith("."):
        return "hidden file"
    if suffix == SIDECAR_SUFFIX:
        return "XMP sidecar: read with the photo of the same name, its values winning"
    if suffix not in PHOTO_SUFFIXES:
        kind = f"{suffix} file" if suffix else "file without an extension"
        return f"not a photo ({kind}); picdesk takes JPEG, PNG, WebP, TIFF and HEIF"
    return ""


def sidecar_of(photo: Path) -> Path | None:
    """The XMP sidecar beside ``photo`` (``a.jpg.xmp``, else ``a.xmp``, in
    either case), if there is one."""
    for candidate in (photo.with_name(photo.name + ".xmp"), photo.with_name(photo.name + ".XMP"),
                      photo.with_suffix(".xmp"), photo.with_suffix(".XMP")):
        if candidate != photo and candidate.is_file():
            return candidate
    return None
