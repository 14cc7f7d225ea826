"""Pages of a list by key, not by offset.

A link to the next page names the last row shown (its sort key), and the
page is the rows after it in the list's order: an index finds them at any
depth, where an offset makes the database count past every row before.
Rows that arrive meanwhile join the top of the list and never shift a page
the editor is reading: no row is shown twice or skipped.

Lists are newest first: descending on their ``fields``, the last of which is
unique (the primary key), and a database index covers them in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

SEPARATOR = "~"
# Counting stops here: "more than 10,000" tells a desk all it needs, where an
# exact count of a million rows costs a scan on every page.
COUNT_LIMIT = 10_000


@dataclass
class KeysetPage:
    rows: list
    newer: str | None  # the query string of the page above, or None on the first
    older: str | None  # the query string of the page below, or None on the last
    count: int  # how many rows the list has, at most COUNT_LIMIT + 1

    @property
    def count_text(self) -> str:
        return f"more than {COUNT_LIMIT:,}" if self.count > COUNT_LIMIT else f"{self.count:,}"


def _key(row, fields) -> list:
    return [getattr(row, "pk" if name == "pk" else name) for name in fields]


def encode(row, fields) -> str:
    return SEPARATOR.join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in _key(row, fields))


def decode(queryset: QuerySet, fields, text: str) -> list | None:
    """The sort key a cursor names, or None where it is not one."""
    parts = text.split(SEPARATOR)
    if len(parts) != len(fields):
        return None
    meta = queryset.model._meta
    try:
        key = [(meta.pk if name == "pk" else meta.get_field(name)).to_python(part)
               for name, part in zip(fields, parts)]
    except ValidationError:
        return None
    # A number no column holds would be the database's error, not a page.
    return None if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in key) else key


def beyond(fields, key, older: bool) -> Q:
    """Rows after ``key`` (older) or before it (newer) in the list's order. The
    first field also bounds the range on its own, so the index can seek."""
    lt, lte = ("lt", "lte") if older else ("gt", "gte")
    first, *rest = fields
    ties = Q(**{f"{first}__{lt}": key[0]})
    if rest:
        ties |= Q(**{first: key[0]}) & beyond(rest, key[1:], older)
        return Q(**{f"{first}__{lte}": key[0]}) & ties
    return ties


def page_by_key(queryset: QuerySet, fields: tuple[str, ...], params, size: int) -> KeysetPage:
    """One page of ``queryset`` in descending ``fields`` order. ``params``
    (the request's GET) may hold ``before`` (show what is older than that
    cursor) or ``after`` (what is newer); every other parameter is kept on
    the links."""
    descending = [f"-{name}" for name in fields]
    ascending = list(fields)
    kept = {name: value for name, value in params.items() if name not in ("before", "after")}
    after = decode(queryset, fields, params.get("after", ""))
    before = decode(queryset, fields, params.get("before", ""))
    if after is not None:
        rows = list(queryset.filter(beyond(fields, after, older=False)).order_by(*ascending)[: size + 1])
        more_newer, rows = len(rows) > size, rows[:size][::-1]
        more_older = bool(rows)
    else:
        scope = queryset.filter(beyond(fields, before, older=True)) if before is not None else queryset
        rows = list(scope.order_by(*descending)[: size + 1])
        more_older, rows = len(rows) > size, rows[:size]
        more_newer = before is not None and bool(rows)
    return KeysetPage(
        rows,
        newer=urlencode({**kept, "after": encode(rows[0], fields)}) if rows and more_newer else None,
        older=urlencode({**kept, "before": encode(rows[-1], fields)}) if rows and more_older else None,
        count=queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count(),
    )
