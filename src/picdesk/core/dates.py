"""The one reader of the moments people type, for the command line and the API."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_date, parse_datetime

EXPECTED = "YYYY-MM-DD or an ISO 8601 date-time"


def parse_moment(text: str) -> dt.datetime:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO 8601 date-time (UTC when it names
    no offset). ValueError for anything else, empty text included."""
    text = text.strip()
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day:
        moment = dt.datetime.combine(day, dt.time())
    if moment is None:
        raise ValueError(f"{text!r} is not {EXPECTED}" if text else f"empty; give {EXPECTED}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    # In UTC: PostgreSQL takes no offset beyond 15:59, which ISO 8601 allows.
    try:
        return moment.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError(f"{text!r} is out of range") from None
