"""Reader search: slideshow titles and summaries, photo captions, headlines,
by-lines, places, people and keywords, with the matches highlighted.

On SQLite an FTS5 table (``reader_search``, see the migration) holds one row
per slideshow and per photo, kept current by ``reader.signals``. Only what a
reader may see is returned: live slideshows, and photos in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slide, Slideshow

# FTS5 marks matches with these; the text is escaped first, then they become <mark>.
START, END = "\x02", "\x03"
LIMIT = 50


@dataclass
class Hit:
    kind: str  # "slideshow" or "photo"
    title: SafeString
    snippet: SafeString
    url: str
    published_at: datetime
    photo: Photo | None = None


def _enabled() -> bool:
    return connection.vendor == "sqlite"


def index_slideshow(show: Slideshow) -> None:
    _replace("slideshow", show.pk, show.title, show.summary, "", "", "")


def index_photo(photo: Photo) -> None:
    if photo.killed_at is not None:
        forget("photo", photo.pk)
        return
    places = " ".join(filter(None, [photo.sublocation, photo.city, photo.state, photo.country]))
    _replace(
        "photo", photo.pk, photo.headline, photo.caption,
        " ".join([photo.byline, *photo.persons_shown]), places, " ".join(photo.keywords),
    )


def forget(kind: str, object_id: int) -> None:
    if _enabled():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM reader_search WHERE kind = %s AND object_id = %s", [kind, object_id])


def _replace(kind: str, object_id: int, *columns: str) -> None:
    if not _enabled():
        return
    forget(kind, object_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reader_search (kind, object_id, title, body, people, places, keywords)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [kind, object_id, *columns],
        )


def rebuild_index() -> None:
    if not _enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reader_search")
    for show in Slideshow.objects.iterator():
        index_slideshow(show)
    for photo in Photo.objects.iterator():
        index_photo(photo)


def ensure_index() -> None:
    """Fill an empty index (a database from before search existed)."""
    if not _enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reader_search")
        empty = cursor.fetchone()[0] == 0
    if empty and (Slideshow.objects.exists() or Photo.objects.exists()):
        rebuild_index()


def fts_query(text: str) -> str:
    """Every word the reader typed, each quoted (so FTS5 operators in it are
    just text), the last one also matching as a prefix, still being typed.
    The last word is asked for whole *and* as a prefix: a row with the whole
    word matches both, so ranks above one that only starts with it ("bee"
    before "Beech")."""
    words = [w.replace('"', '""') for w in text.split()][:12]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] = f"({quoted[-1]} OR {quoted[-1]}*)"
    return " AND ".join(quoted)  # explicit: FTS5 takes no implicit AND before a parenthesis


def highlight(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(END, "</mark>"))


def search(text: str) -> list[Hit]:
    query = fts_query(text)
    if not query or not _enabled():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id, highlight(reader_search, 2, %s, %s),"
            " snippet(reader_search, -1, %s, %s, '…', 24)"
            " FROM reader_search WHERE reader_search MATCH %s ORDER BY rank LIMIT 500",
            [START, END, START, END, query],
        )
        rows = cursor.fetchall()
    return _visible(rows)


def _visible(rows) -> list[Hit]:
    """Keep what readers may see, in rank order: live slideshows, and photos
    in a live slideshow (linked to their page in the newest such slideshow)."""
    live = Slideshow.objects.live()
    show_ids = {int(r[1]) for r in rows if r[0] == "slideshow"}
    shows = {s.pk: s for s in live.filter(pk__in=show_ids)}
    photo_ids = {int(r[1]) for r in rows if r[0] == "photo"}
    slides = {}
    for slide in (
        Slide.objects.filter(photo_id__in=photo_ids, slideshow__in=live)
        .select_related("photo", "slideshow")
        .order_by("-slideshow__published_at", "position")
    ):
        slides.setdefault(slide.photo_id, slide)
    hits = []
    for kind, object_id, title, snippet in rows:
        object_id = int(object_id)
        if kind == "slideshow" and object_id in shows:
            show = shows[object_id]
            hits.append(Hit(kind, highlight(title), highlight(snippet), show.get_absolute_url(), show.published_at))
        elif kind == "photo" and object_id in slides:
            slide = slides[object_id]
            hits.append(Hit(kind, highlight(title), highlight(snippet), slide.get_absolute_url(),
                            slide.slideshow.published_at, slide.photo))
    return hits[:LIMIT]

