"""The search index on PostgreSQL: one row per slideshow and photo with a
weighted document (title first, then people, places and keywords, then the
caption or summary), ranked by ``ts_rank`` and highlighted by
``ts_headline``, through django.contrib.postgres.search."""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Exists, F, OuterRef, Q, TextField, Value
from django.db.models.functions import Concat

from picdesk.reader.models import SearchEntry
from picdesk.reader.search import END, START

# A common word matches a third of a million photos: only the newest of its
# matches are ranked (rows are indexed as they arrive, so newest is highest id).
CANDIDATES = 2000
CONFIG = "picdesk_search"  # reader's migration 0002: simple words, accents folded
DOCUMENT = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("people", "places", "keywords", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
)


def forget(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def replace(kind: str, object_id: int, title: str, body: str, people: str, places: str, keywords: str) -> None:
    text = {"title": title, "body": body, "people": people, "places": places, "keywords": keywords}
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=text)
    SearchEntry.objects.filter(kind=kind, object_id=object_id).update(document=DOCUMENT)


def insert_many(rows: list[tuple]) -> None:
    """Rows of (kind, object id, title, body, people, places, keywords) not in
    the index yet: inserted together, then their documents made in one update."""
    fields = ("kind", "object_id", "title", "body", "people", "places", "keywords")
    made = SearchEntry.objects.bulk_create([SearchEntry(**dict(zip(fields, row))) for row in rows])
    SearchEntry.objects.filter(pk__in=[entry.pk for entry in made]).update(document=DOCUMENT)


def clear() -> None:
    SearchEntry.objects.all().delete()


def is_empty() -> bool:
    return not SearchEntry.objects.exists()


def _lexeme(word: str) -> str:
    """``word`` quoted for to_tsquery, so its operators (& | ! : * <->) are text."""
    return "'{}'".format(word.replace("\\", "\\\\").replace("'", "''"))


def tsquery(words: list[str], prefix: bool = True) -> SearchQuery:
    """Every word; the last one whole or, with ``prefix``, as a prefix."""
    quoted = [_lexeme(w) for w in words]
    if prefix:
        quoted[-1] = f"({quoted[-1]} | {quoted[-1]}:*)"
    return SearchQuery(" & ".join(quoted), search_type="raw", config=CONFIG)


def photo_ids(words: list[str]):
    """The ids of every indexed photo matching ``words``, as a subquery."""
    return SearchEntry.objects.filter(kind="photo", document=tsquery(words)).values("object_id")


def matches(words: list[str], live_shows, live_photos, limit: int) -> list[tuple]:
    """The best ``limit`` of the newest CANDIDATES matches among the
    slideshows and photos whose ids the subqueries ``live_shows`` and
    ``live_photos`` give. A photo's visibility is an indexed probe per match
    (EXISTS): half a million live photo ids do not fit a hashed IN."""
    query = tsquery(words)
    readable = (Q(kind="slideshow", object_id__in=live_shows)
                | Q(kind="photo") & Exists(live_photos.filter(photo_id=OuterRef("object_id"))))
    newest = SearchEntry.objects.filter(readable, document=query).order_by("-id").values("id")[:CANDIDATES]
    marks = {"start_sel": START, "stop_sel": END, "config": CONFIG}
    rows = (
        SearchEntry.objects.filter(id__in=newest)
        # A row with the whole words also ranks for them alone: "bee" before "Beech".
        .annotate(rank=SearchRank(F("document"), query) + SearchRank(F("document"), tsquery(words, prefix=False)))
        .annotate(
            marked_title=SearchHeadline("title", query, highlight_all=True, **marks),
            snippet=SearchHeadline(
                Concat("body", Value(" "), "people", Value(" "), "places", Value(" "), "keywords", output_field=TextField()),
                query, max_words=24, min_words=12, **marks,
            ),
        )
        .order_by("-rank", "id")[:limit]
    )
    return [(row.kind, row.object_id, row.marked_title, row.snippet) for row in rows]
