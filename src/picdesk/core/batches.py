"""Bulk work over a whole table in batches: memory stays flat at a million
rows, and each batch is one query (by key, never by offset) and one write."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from django.db.models import QuerySet

BATCH = 2000


def in_batches(queryset: QuerySet, size: int | None = None) -> Iterator[list]:
    """``queryset``'s rows in primary-key order, ``size`` (BATCH) at a time."""
    size = size or BATCH
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk if hasattr(rows[-1], "pk") else rows[-1][0]


def progress_bar(total: int, description: str, shown: bool | None = None):
    """A progress bar on stderr (tqdm), shown where a person watches: on a
    terminal, unless ``shown`` says otherwise."""
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit="row", file=sys.stderr,
                disable=not (sys.stderr.isatty() if shown is None else shown))
