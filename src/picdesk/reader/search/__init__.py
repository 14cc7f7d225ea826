"""Reader search: slideshow titles and summaries, photo captions, headlines,
by-lines, places, people and keywords, with the matches highlighted.

One interface, one index per database engine: an FTS5 table on SQLite
(``search.sqlite``), a table with a weighted ``tsvector`` and a GIN index on
PostgreSQL (``search.postgres``). Each holds one row per slideshow and per
photo, kept current by ``reader.signals``, and answers a query with rows whose
matches are wrapped in START and END. Only what a reader may see is returned:
live slideshows, and photos in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from picdesk.core.batches import in_batches, progress_bar
from picdesk.photos.headlines import looks_like_file_name
from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slide, Slideshow

# The engines mark matches with these; the text is escaped first, then they become <mark>.
START, END = "\x02", "\x03"
LIMIT = 50
# What a query may ask at most: twelve words, the rest dropped.
MAX_WORDS = 12


@dataclass
class Hit:
    kind: str  # "slideshow" or "photo"
    title: SafeString
    snippet: SafeString
    url: str
    published_at: datetime
    photo: Photo | None = None


def _engine():
    """The index of the database in use; None where it has none (MySQL...),
    and search then finds nothing."""
    if connection.vendor == "sqlite":
        from picdesk.reader.search import sqlite

        return sqlite
    if connection.vendor == "postgresql":
        from picdesk.reader.search import postgres

        return postgres
    return None


def _slideshow_row(show: Slideshow) -> tuple:
    """What the index holds of a slideshow: kind, id, title, body, people, places, keywords."""
    return ("slideshow", show.pk, show.title, show.summary, "", "", "")


def _photo_row(photo: Photo) -> tuple:
    places = " ".join(filter(None, [photo.sublocation, photo.city, photo.state, photo.country]))
    return ("photo", photo.pk, photo.headline, photo.caption, " ".join([photo.byline, *photo.persons_shown]),
            places, " ".join(photo.keywords))


# The fields the rows above read, so a rebuild loads nothing else.
SLIDESHOW_FIELDS = ("title", "summary")
PHOTO_FIELDS = ("headline", "caption", "byline", "persons_shown", "sublocation", "city", "state", "country",
                "keywords", "killed_at")


def index_slideshow(show: Slideshow) -> None:
    _replace(*_slideshow_row(show))


def index_photo(photo: Photo) -> None:
    if photo.killed_at is not None:
        forget("photo", photo.pk)
        return
    _replace(*_photo_row(photo))


def forget(kind: str, object_id: int) -> None:
    if engine := _engine():
        engine.forget(kind, object_id)


def _replace(kind: str, object_id: int, *columns: str) -> None:
    """Index one object's text: title, body, people, places, keywords."""
    if engine := _engine():
        engine.replace(kind, object_id, *columns)


def rebuild_index(progress: bool | None = False) -> int:
    """Index every slideshow and every photo in use afresh, in batches (one
    read and one write each). ``progress`` shows a bar (None: on a terminal).
    Returns how many rows the index holds."""
    if not (engine := _engine()):
        return 0
    engine.clear()
    sources = [
        (Slideshow.objects.only(*SLIDESHOW_FIELDS), _slideshow_row),
        (Photo.objects.in_use().only(*PHOTO_FIELDS), _photo_row),
    ]
    total = sum(queryset.count() for queryset, _ in sources)
    with progress_bar(total, "indexing for search", progress) as bar:
        for queryset, row in sources:
            for batch in in_batches(queryset):
                engine.insert_many([row(obj) for obj in batch])
                bar.update(len(batch))
    return total


def ensure_index() -> None:
    """Fill an empty index (a database from before search existed)."""
    if not (engine := _engine()):
        return
    if engine.is_empty() and (Slideshow.objects.exists() or Photo.objects.exists()):
        rebuild_index()


def query_words(text: str) -> list[str]:
    """The words of what the reader typed, at most MAX_WORDS; each engine quotes them."""
    return text.split()[:MAX_WORDS]


def highlight(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(END, "</mark>"))


def search(text: str) -> list[Hit]:
    """What readers may see of the index's best matches for ``text``. Every
    word must match; the last also as a prefix (it may still be being typed),
    and a whole word ranks above a prefix ("bee" before "Beech")."""
    words = query_words(text)
    engine = _engine()
    if not words or engine is None:
        return []
    live = Slideshow.objects.live()
    # What readers may see is chosen before ranking, inside the query, so the
    # ranked rows are readers' best matches and only LIMIT of them are marked up.
    readable = (live.order_by().values("pk"), Slide.objects.filter(slideshow__in=live).order_by().values("photo_id"))
    return _visible(engine.matches(words, *readable, limit=LIMIT))


def matching_photo_ids(text: str):
    """A subquery of the ids of every photo (published or not) whose indexed
    text matches ``text`` as reader search matches it: the desk's text filter,
    served by the same index. None where the database has no index."""
    words = query_words(text)
    engine = _engine()
    return engine.photo_ids(words) if words and engine else None


def _visible(rows) -> list[Hit]:
    """Keep what readers may see, in rank order: live slideshows, and photos
    in a live slideshow (linked to their page in the newest such slideshow).
    The engine chose them already; this also drops what stopped being live
    between its query and this one.
    ``rows``: (kind, object id, marked title, marked snippet), best first."""
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
            if looks_like_file_name(slide.photo.headline):  # readers get the slideshow's title instead
                title = slide.display_headline
            hits.append(Hit(kind, highlight(title), highlight(snippet), slide.get_absolute_url(),
                            slide.slideshow.published_at, slide.photo))
    return hits[:LIMIT]
