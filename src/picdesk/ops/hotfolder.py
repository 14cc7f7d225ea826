"""``picdesk watch DIR``: a hot folder, where agencies and photographers'
laptops deliver photos.

Each file is ingested once it has finished arriving (its size and modification
time unchanged for ``settle`` seconds: senders write in pieces, and a half
written file must never be taken), through the same ingest as every other
channel, then moved out of the way: to ``done/``, or to ``failed/`` beside a
``NAME.reason.txt`` saying why. Files already there when the watcher starts are
taken too, so a restart loses nothing; a file ingested but not yet moved when
the watcher died is the same bytes again, which ingest recognises.

Filesystem events come from ``watchdog`` (inotify on Linux), with its polling
observer where events are not to be had (network shares); either way a sweep
every ``interval`` seconds is what decides a file is complete.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from picdesk.core.folders import SIDECAR_SUFFIX, sidecar_of, skip_reason

DONE, FAILED = "done", "failed"
# Names senders give files while still writing them, renamed when complete.
PARTIAL_SUFFIXES = {".part", ".partial", ".tmp", ".crdownload", ".filepart"}


@dataclass
class HotFolder:
    root: Path
    settle: float = 2.0
    # path -> (size, mtime) and when that was first seen unchanged
    _seen: dict[Path, tuple[tuple[int, float], float]] = field(default_factory=dict)

    def __post_init__(self):
        for name in (DONE, FAILED):
            (self.root / name).mkdir(parents=True, exist_ok=True)

    def waiting(self) -> list[Path]:
        """Files in the folder itself that may be deliveries (not being written
        under a temporary name, not hidden, not already handled)."""
        return sorted(
            p for p in self.root.iterdir()
            if p.is_file() and not p.name.startswith(".")
            and p.suffix.lower() not in PARTIAL_SUFFIXES | {SIDECAR_SUFFIX}  # taken with their photo
        )

    def sweep(self, now: float | None = None) -> list[str]:
        """Take every file that has settled; returns a line per file handled."""
        now = time.monotonic() if now is None else now
        lines = []
        present = set()
        for path in self.waiting():
            present.add(path)
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime)
            previous = self._seen.get(path)
            if previous is None or previous[0] != signature:
                self._seen[path] = (signature, now)
            # An empty file may be a sender's placeholder: given longer before
            # it is taken (and refused as empty).
            elif now - previous[1] >= self.settle * (1 if stat.st_size else 10):
                lines.append(self.take(path))
                del self._seen[path]
        for gone in set(self._seen) - present:
            del self._seen[gone]
        return lines

    def take(self, path: Path) -> str:
        from picdesk.photos.ingest import Arrival, IngestError, ingest_file

        if reason := skip_reason(path):
            return self._fail(path, reason)
        sidecar = sidecar_of(path)
        try:
            result = ingest_file(path, arrival=Arrival("hot folder", sender=str(self.root)))
        except IngestError as exc:
            if sidecar is not None:
                _move(sidecar, self.root / FAILED)
            return self._fail(path, exc.reason)
        _move(path, self.root / DONE)
        if sidecar is not None:
            _move(sidecar, self.root / DONE)
        verb = "imported" if result.created else "already imported (reused)"
        return f"{verb}: {path.name} (photo {result.photo.pk})"

    def _fail(self, path: Path, reason: str) -> str:
        moved = _move(path, self.root / FAILED)
        moved.with_name(moved.name + ".reason.txt").write_text(reason + "\n")
        return f"failed: {path.name}: {reason}"


def _move(path: Path, folder: Path) -> Path:
    """Into ``folder``, never over a file of the same name there."""
    target = folder / path.name
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem} ({n}){path.suffix}"
    return path.rename(target)


def watch(root: Path, *, settle: float = 2.0, interval: float = 0.5, poll: bool = False,
          stop: threading.Event | None = None, say=print) -> None:
    """Watch ``root`` until ``stop`` is set (or forever), saying what was taken."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    folder = HotFolder(root, settle=settle)
    stop = stop or threading.Event()
    wake = threading.Event()

    class Wake(FileSystemEventHandler):
        def on_any_event(self, event):
            wake.set()

    observer = (PollingObserver if poll else Observer)()
    observer.schedule(Wake(), str(root), recursive=False)
    observer.start()
    try:
        while not stop.is_set():
            for line in folder.sweep():
                say(line)
            # An event makes the next sweep come sooner; the settle time still
            # decides when a file is complete.
            wake.wait(interval)
            wake.clear()
    finally:
        observer.stop()
        observer.join()
