"""The search index on SQLite: an FTS5 table (see reader's first migration),
read and written in SQL, since the ORM knows nothing of MATCH."""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from picdesk.reader.search import END, START

CANDIDATES = 500


def forget(kind: str, object_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reader_search WHERE kind = %s AND object_id = %s", [kind, object_id])


def replace(kind: str, object_id: int, *columns: str) -> None:
    forget(kind, object_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reader_search (kind, object_id, title, body, people, places, keywords)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [kind, object_id, *columns],
        )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reader_search")


def is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reader_search")
        return cursor.fetchone()[0] == 0


def fts_query(words: list[str]) -> str:
    """Every word quoted (so FTS5 operators in it are just text), the last one
    asked for whole *and* as a prefix: a row with the whole word matches
    both, so ranks above one that only starts with it."""
    quoted = ['"{}"'.format(w.replace('"', '""')) for w in words]
    quoted[-1] = f"({quoted[-1]} OR {quoted[-1]}*)"
    return " AND ".join(quoted)  # explicit: FTS5 takes no implicit AND before a parenthesis


def photo_ids(words: list[str]) -> RawSQL:
    """The ids of every indexed photo matching ``words``, as a subquery."""
    return RawSQL("SELECT object_id FROM reader_search WHERE reader_search MATCH %s AND kind = 'photo'",
                  [fts_query(words)])


def matches(words: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id, highlight(reader_search, 2, %s, %s),"
            " snippet(reader_search, -1, %s, %s, '…', 24)"
            " FROM reader_search WHERE reader_search MATCH %s ORDER BY rank LIMIT %s",
            [START, END, START, END, fts_query(words), CANDIDATES],
        )
        return cursor.fetchall()
