"""Entry points of the processes that ``picdesk import`` renders photos on.

Spawned children load this module before Django is set up, so picdesk's models
are imported inside the functions, once ``start`` has run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    """One file's result, as it travels back from a child: plain values only."""

    photo_id: int | None
    created: bool = False
    name: str = ""
    reason: str = ""


def start() -> None:
    import django

    django.setup()
    from picdesk.photos.imaging import configure_for_batch_work

    configure_for_batch_work()


def ingest_one(path: str) -> Outcome:
    """Ingest one file with its publishable renditions."""
    from picdesk.photos.imaging import release_memory
    from picdesk.photos.ingest import IngestError, ingest_file

    try:
        result = ingest_file(Path(path), render=True)
    except IngestError as exc:
        return Outcome(None, name=exc.name, reason=exc.reason)
    finally:
        release_memory()
    return Outcome(result.photo.pk, result.created)
