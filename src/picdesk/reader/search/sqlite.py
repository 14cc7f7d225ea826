"""The search index on SQLite: an FTS5 table (see reader's first migration),
read and written in SQL, since the ORM knows nothing of MATCH.

A row's rowid is derived from what it indexes (``_rowid``): FTS5 finds a row
by rowid through its b-tree, where a search on an UNINDEXED column reads the
whole table, which at a million photos costs every edit a second.

Accents: FTS5's tokenizer folds letters with a diacritic ("Zürich" is found
by "zurich") but not letters of their own (ß, Æ, Ł, Ø, Œ, Đ, ı), which
PostgreSQL's unaccent folds. The words that hold one are indexed a second
time, folded, in the ``folded`` column; a query word that holds one is asked
for in both forms. Readers see the text as written."""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from picdesk.reader.search import END, START

KINDS = ("slideshow", "photo")
# A common word matches a third of the archive: only its newest matches are ranked.
CANDIDATES = 2000


# What PostgreSQL's unaccent makes of the letters FTS5 leaves alone.
LETTERS_OF_THEIR_OWN = str.maketrans({
    "ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l",
    "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "ı": "i", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "Ŀ": "L", "ŀ": "l",
})


def folded_words(text: str) -> str:
    """The words of ``text`` that hold a letter of its own, folded."""
    return " ".join(dict.fromkeys(folded for word in text.split()
                                  if (folded := word.translate(LETTERS_OF_THEIR_OWN)) != word))


def _rowid(kind: str, object_id: int) -> int:
    return int(object_id) * len(KINDS) + KINDS.index(kind)


def forget(kind: str, object_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reader_search WHERE rowid = %s", [_rowid(kind, object_id)])


def replace(kind: str, object_id: int, *columns: str) -> None:
    forget(kind, object_id)
    insert_many([(kind, object_id, *columns)])


def insert_many(rows: list[tuple]) -> None:
    """Rows of (kind, object id, title, body, people, places, keywords) not in the index yet."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO reader_search (rowid, kind, object_id, title, body, people, places, keywords, folded)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(_rowid(row[0], row[1]), *row, folded_words(" ".join(row[2:]))) for row in rows])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reader_search")


def is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM reader_search LIMIT 1")
        return cursor.fetchone() is None


def fts_query(words: list[str]) -> str:
    """Every word quoted (so FTS5 operators in it are just text), in both its
    forms where it holds a letter of its own, the last one asked for whole
    *and* as a prefix: a row with the whole word matches both, so ranks above
    one that only starts with it."""
    asked = []
    for n, word in enumerate(words):
        forms = ['"{}"'.format(w.replace('"', '""')) for w in dict.fromkeys([word, word.translate(LETTERS_OF_THEIR_OWN)])]
        if n == len(words) - 1:
            forms = [f"{form}{star}" for form in forms for star in ("", "*")]
        asked.append(f"({' OR '.join(forms)})")
    return " AND ".join(asked)  # explicit: FTS5 takes no implicit AND before a parenthesis


def photo_ids(words: list[str]) -> RawSQL:
    """The ids of every indexed photo matching ``words``, as a subquery."""
    return RawSQL("SELECT object_id FROM reader_search WHERE reader_search MATCH %s AND kind = 'photo'",
                  [fts_query(words)])


def matches(words: list[str], live_shows, live_photos, limit: int) -> list[tuple]:
    """The best ``limit`` of the newest CANDIDATES matches among the
    slideshows and photos whose ids the subqueries ``live_shows`` and
    ``live_photos`` give (a row's rowid grows with its object's id)."""
    shows_sql, shows_params = live_shows.query.sql_with_params()
    photos_sql, photos_params = live_photos.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id, highlight(reader_search, 2, %s, %s),"
            " snippet(reader_search, -1, %s, %s, '…', 24), snippet(reader_search, 3, %s, %s, '…', 24), folded"
            " FROM reader_search WHERE reader_search MATCH %s AND rowid IN ("
            "  SELECT rowid FROM reader_search WHERE reader_search MATCH %s"
            f" AND ((kind = 'slideshow' AND object_id IN ({shows_sql}))"
            f" OR (kind = 'photo' AND object_id IN ({photos_sql})))"
            "  ORDER BY rowid DESC LIMIT %s)"
            " ORDER BY rank LIMIT %s",
            [START, END, START, END, START, END, fts_query(words), fts_query(words), *shows_params, *photos_params,
             CANDIDATES, limit],
        )
        return [(kind, object_id, title, _as_written(best, body, folded))
                for kind, object_id, title, best, body, folded in cursor.fetchall()]


def _as_written(snippet: str, body_snippet: str, folded: str) -> str:
    """The snippet, unless FTS5 took it from the folded words, which readers
    never see: then the body's."""
    words = snippet.replace(START, "").replace(END, "").replace("…", " ").split()
    return body_snippet if words and folded and all(word in folded.split() for word in words) else snippet
