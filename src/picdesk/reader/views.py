"""Public pages: the Pictures home and the slideshow page."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from picdesk.config import setting
from picdesk.slideshows.captions import caption_view
from picdesk.slideshows.models import Slide, Slideshow
from picdesk.slideshows.rails import more_in_pictures, next_slideshows

def _with_photos(queryset):
    """Slides with their photos and renditions in a fixed number of queries."""
    slides = Slide.objects.select_related("photo").prefetch_related(
        Prefetch("photo__renditions")
    )
    return queryset.prefetch_related(Prefetch("slides", queryset=slides))

@require_safe
def home(request):
    live = _with_photos(Slideshow.objects.live().newest_first())
    page = Paginator(live, setting("PICDESK_HOME_PAGE_SIZE")).get_page(request.GET.get("page"))
    cards = [(show, next(iter(show.slides.all()), None)) for show in page]
    return render(request, "reader/home.html", {"page": page, "cards": cards})

@require_safe
def slideshow(request, slug: str):
    show = get_object_or_404(_with_photos(Slideshow.objects.live()), slug=slug)
    slides = [
        (slide, caption_view(slide.display_caption, slide.photo.credit_line))
        for slide in show.slides.all()
    ]
    context = {
        "slideshow": show,
        "slides": slides,
        "next_slideshows": next_slideshows(show),
        "more_in_pictures": more_in_pictures(show),
    }
    return render(request, "reader/slideshow.html", context)
