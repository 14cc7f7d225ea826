"""Public pages: the Pictures home, slideshows, single photos, series and the
archive by month."""

import datetime as dt
from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from picdesk.core.caching import LISTINGS, revalidated, tag, tag_slideshows
from picdesk.core.config import setting
from picdesk.core.esi import include_tag, with_includes
from picdesk.core.pagecache import cached_page
from picdesk.photos.renditions import largest_jpeg_url
from picdesk.core.ratelimit import rate_limited
from picdesk.reader import search as reader_search
from picdesk.reader import structured_data
from picdesk.reader.embeds import oembed_url
from picdesk.reader.shown import shown_photos
from picdesk.slideshows.captions import caption_view
from picdesk.slideshows.models import Series, Slide, Slideshow
from picdesk.slideshows.rails import more_in_pictures, next_slideshows


COVER_CROP = "16x9"  # reader/cards.html shows covers at this aspect


def _last_change():
    """When anything reader pages show last changed, as a time that never moves
    backwards: the latest save of any slideshow (an unpublication is a save)
    or the latest publication to come due."""
    edited = Slideshow.objects.aggregate(edited=Max("updated_at"))["edited"]
    live = Slideshow.objects.live().aggregate(live=Max("published_at"))["live"]
    return max((t for t in (edited, live) if t), default=None)


def reader_page(view):
    """Public: browsers revalidate on every use (a kill or a correction shows
    at once, an unchanged page costs a 304), shared caches keep it until it
    is purged (picdesk.core.caching); served from picdesk's page cache when it is
    there.

    Conditional requests are answered by ConditionalGetMiddleware from the
    page itself (its ETag is a hash of its bytes), once it is known to exist:
    never a 304 for a page that has become a 404."""

    @wraps(view)
    def public(request, *args, **kwargs):
        response = revalidated(view(request, *args, **kwargs))
        if response.status_code == 200 and (changed := _last_change()):
            response["Last-Modified"] = http_date(changed.timestamp())
        return response

    return require_safe(cached_page(public))


def _with_photos(queryset):
    """Slideshows with their slides and photos, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("slides", queryset=Slide.objects.select_related("photo"))
    )


def _listing(request, queryset, template: str, context: dict, first_page=None):
    """A paginated page of slideshow cards (cover photo, date, title, summary,
    number of photos). ``first_page`` lays out the first page's context its
    own way."""
    tag(LISTINGS)
    live = queryset.newest_first().select_related("cover")
    page = Paginator(live, setting("PICDESK_HOME_PAGE_SIZE")).get_page(request.GET.get("page"))
    shows = _with_photo_counts(list(page))
    context = {"page": page, "cards": cards(shows), **context}
    if first_page and page.number == 1:
        context = first_page(context)
    return render(request, template, context)


def _with_photo_counts(shows: list[Slideshow]) -> list[Slideshow]:
    """Each slideshow's ``photo_count``, counted for this page's slideshows
    alone (counting inside the sorting query aggregated every live one)."""
    counts = dict(Slide.objects.filter(slideshow__in=[show.pk for show in shows]).order_by()
                  .values_list("slideshow").annotate(n=Count("pk")))
    for show in shows:
        show.photo_count = counts.get(show.pk, 0)
    return shows


def cards(shows: list[Slideshow]) -> list[tuple[Slideshow, object]]:
    """Each slideshow with its cover as shown (a 16:9 crop that keeps faces),
    or None for one without photos; three queries however many."""
    tag_slideshows(shows)
    covers = _covers(shows)
    shown = shown_photos(list(covers.values()), crop=COVER_CROP)
    return [(show, shown[covers[show.pk].pk] if show.pk in covers else None) for show in shows]


def _covers(shows: list[Slideshow]) -> dict:
    """Slideshow id -> its cover photo: the chosen one, else its first photo
    (one query for those, however long the slideshows)."""
    covers = {show.pk: show.cover for show in shows if show.cover_id}
    first = Slide.objects.filter(slideshow__in=[s.pk for s in shows if s.pk not in covers], position=1)
    covers.update({slide.slideshow_id: slide.photo for slide in first.select_related("photo")})
    return covers


LEAD_AND_TWO_UP = 3  # the home's first page: the newest as the lead, the next two side by side
SERIES_ROWS, SERIES_ROW_LENGTH = 3, 4


@reader_page
def home(request):
    """The newest slideshow as the lead, the next two in a row of two, then
    the grid; on the first page, rows of the series' newest slideshows."""
    return _listing(request, Slideshow.objects.live(), "reader/home.html", {}, first_page=_home_first_page)


def _home_first_page(context: dict) -> dict:
    everything = context["cards"]
    return {**context, "lead": everything[:1], "two_up": everything[1:LEAD_AND_TWO_UP],
            "cards": everything[LEAD_AND_TWO_UP:], "series_rows": series_rows()}


def series_rows() -> list[tuple[Series, list]]:
    """The series of the newest live slideshows, each with its newest few:
    one bounded query on the publication index, whatever the archive's size."""
    recent = Slideshow.objects.live().filter(series__isnull=False).newest_first().select_related("series", "cover")
    rows: dict[int, list[Slideshow]] = {}
    for show in recent[:SERIES_ROWS * SERIES_ROW_LENGTH * 4]:
        if len(rows) < SERIES_ROWS or show.series_id in rows:
            row = rows.setdefault(show.series_id, [])
            if len(row) < SERIES_ROW_LENGTH:
                row.append(show)
    return [(row[0].series, cards(_with_photo_counts(row))) for row in rows.values()]


@reader_page
def series(request, slug: str):
    found = get_object_or_404(Series, slug=slug)
    return _listing(
        request, Slideshow.objects.live().filter(series=found), "reader/series.html", {"series": found}
    )


@reader_page
def all_series(request):
    """Every series with a live slideshow, each with its newest one's cover."""
    tag(LISTINGS)
    newest = Slideshow.objects.live().filter(series=OuterRef("pk")).newest_first()
    found = list(Series.objects.annotate(newest=Subquery(newest.values("pk")[:1])).filter(newest__isnull=False)
                 .order_by("name"))
    shows = {show.pk: show for show in _with_photo_counts(list(
        Slideshow.objects.filter(pk__in=[s.newest for s in found]).select_related("cover")))}
    covers = dict(cards(list(shows.values())))
    rows = [(series, shows[series.newest], covers[shows[series.newest]]) for series in found]
    return render(request, "reader/all_series.html", {"rows": rows})


@reader_page
def archive_index(request):
    """The months that have live slideshows, newest first, by year."""
    tag(LISTINGS)
    months = Slideshow.objects.live().dates("published_at", "month", order="DESC")
    years: dict[int, list] = {}
    for month in months:
        years.setdefault(month.year, []).append(month)
    return render(request, "reader/archive_index.html", {"years": years.items()})


@reader_page
def archive(request, year: int, month: int):
    return _listing(request, live_in_month(year, month), "reader/archive.html", {"month": dt.date(year, month, 1)})


def live_in_month(year: int, month: int):
    """Live slideshows published that month; 404 for a month that does not exist."""
    try:
        return Slideshow.objects.live().published_in_month(year, month)
    except ValueError:
        raise Http404("No such month") from None


def rails(show: Slideshow) -> dict:
    """Next Slideshows, as cards in the page, and More in Pictures, included
    (core.esi): the latest slideshows change with every publication, the
    ones that followed this one almost never do. A page keeps its cards'
    keys; only one of the newest, whose rail is not yet full of followers,
    changes with each publication (``listings``)."""
    following = next_slideshows(show)
    if not all(s.published_at > show.published_at or (s.published_at == show.published_at and s.pk > show.pk)
               for s in following) or len(following) < setting("PICDESK_NEXT_SLIDESHOWS"):
        tag(LISTINGS)
    return {"next_slideshows": cards(following), "more_in_pictures": include_tag(more_in_pictures_address(show))}


def more_in_pictures_address(show: Slideshow) -> str:
    """The fragment a page includes: the one every page shares, unless this
    slideshow is among the latest (which it must not list)."""
    latest = more_in_pictures(None, setting("PICDESK_MORE_IN_PICTURES") + 1)
    if any(s.pk == show.pk for s in latest):
        return reverse("reader:more_in_pictures_beside", kwargs={"slug": show.slug})
    return reverse("reader:more_in_pictures")


@reader_page
def more_in_pictures_fragment(request, slug: str = ""):
    """The More in Pictures rail, alone: what pages include."""
    show = get_object_or_404(Slideshow.objects.live(), slug=slug) if slug else None
    tag(LISTINGS)
    response = render(request, "reader/rail.html", {"id": "more-in-pictures", "heading": "More in Pictures",
                                                    "shows": cards(more_in_pictures(show))})
    response["X-Robots-Tag"] = "noindex"  # a part of pages, not one
    return response


def with_everything_shown(queryset):
    """Slideshows with what their page shows: series, slides, photos, corrections."""
    return _with_photos(queryset.select_related("series")).prefetch_related("corrections")


@reader_page
def slideshow(request, slug: str):
    show = get_object_or_404(with_everything_shown(Slideshow.objects.live()), slug=slug)
    return with_includes(render(request, "reader/slideshow.html", slideshow_context(request, show)))


def slideshow_context(request, show: Slideshow) -> dict:
    """What the slideshow page shows; the desk's preview renders the same."""
    tag_slideshows([show])
    shown = shown_photos([slide.photo for slide in show.slides.all()])
    slides = [
        (slide, shown[slide.photo_id], caption_view(slide.display_caption, slide.photo.credit_line))
        for slide in show.slides.all()
    ]
    cover = show.cover_among(list(show.slides.all()))
    return {
        "slideshow": show,
        "slides": slides,
        **rails(show),
        "json_ld": structured_data.gallery(request, show),
        "social_image": structured_data.social_image(request, cover.photo) if cover else None,
        "social_description": labelled(show.summary, cover.photo if cover else None),
        "oembed": oembed_url(request, request.build_absolute_uri(show.get_absolute_url())),
    }


def labelled(description: str, photo) -> str:
    """A link preview's description, after the label readers see on
    ``photo`` (AI-generated, composite...) where it has one: a preview
    shows the picture without the page around it."""
    label = photo.source_label if photo is not None else ""
    return f"{label}. {description}" if label else description


def _download_url(photo) -> str | None:
    """The largest JPEG rendition, where the photo's terms allow downloading."""
    return largest_jpeg_url(photo) if photo.downloadable else None


@reader_page
def photo(request, slug: str, number: int):
    """One photo of a slideshow on a page of its own, linkable and shareable,
    at its slide's number, which reorders never change. A number whose photo
    has left the slideshow (removed, or killed) is 410 Gone, never another
    picture."""
    show = get_object_or_404(_with_photos(Slideshow.objects.live().select_related("series")), slug=slug)
    tag_slideshows([show])
    slides = list(show.slides.all())
    at = next((n for n, slide in enumerate(slides) if slide.number == number), None)
    if at is None:
        if 1 <= number <= show.numbered_slides:
            return render(request, "reader/gone.html", {"slideshow": show}, status=410)
        raise Http404("No such photo in this slideshow")
    slide = slides[at]
    context = {
        "slideshow": show,
        "slide": slide,
        "shown": shown_photos([slide.photo])[slide.photo_id],
        "download": _download_url(slide.photo),
        # The whole caption: this page is where a reader goes to read it.
        "caption": caption_view(slide.display_caption, slide.photo.credit_line, limit=10**9),
        "position": at + 1,
        "count": len(slides),
        "previous": slides[at - 1] if at > 0 else None,
        "next": slides[at + 1] if at + 1 < len(slides) else None,
        **rails(show),
        "json_ld": structured_data.image_object(request, show, slide),
        "social_image": structured_data.social_image(request, slide.photo),
        "social_description": labelled(slide.display_caption, slide.photo),
        "oembed": oembed_url(request, request.build_absolute_uri(slide.get_absolute_url())),
    }
    return with_includes(render(request, "reader/photo.html", context))


@require_safe
@rate_limited("search", "PICDESK_SEARCH_RATE")
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL takes no NUL in text
    hits = reader_search.search(query) if query else []
    shown = shown_photos([hit.photo for hit in hits if hit.photo])
    results = [(hit, shown.get(hit.photo.pk) if hit.photo else None) for hit in hits]
    response = render(request, "reader/search.html", {"query": query, "results": results})
    # Revalidated by every cache: results follow any edit of any text.
    response["Cache-Control"] = "public, no-cache"
    return response
