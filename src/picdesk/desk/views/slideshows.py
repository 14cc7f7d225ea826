"""The slideshow builder and the publishing workflow, for editors."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from picdesk.desk.forms import CorrectionForm, NewSlideshowForm, ScheduleForm, SeriesForm, SlideshowForm
from picdesk.desk.views.photos import thumbnail_url
from picdesk.reader.views import slideshow_context, with_everything_shown
from picdesk.core.config import setting
from picdesk.core.esi import with_includes
from picdesk.core.keyset import page_by_key
from picdesk.core.roles import role_required
from picdesk.audit.models import Actor
from picdesk.photos.metadata import limit_of
from picdesk.slideshows import publishing
from picdesk.slideshows.metadata_edits import save_edits
from picdesk.slideshows.caption_checks import check_slides
from picdesk.slideshows.models import Series, Slide, Slideshow
from picdesk.slideshows.reuse import published_where
from picdesk.slideshows.rights_gate import RightsRefused


@role_required("editor")
def slideshows(request):
    form = NewSlideshowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        show = publishing.create_slideshow(form.cleaned_data["title"], [], by=Actor("desk", request.user))
        return redirect("desk:builder", pk=show.pk)
    page = page_by_key(Slideshow.objects.select_related("series"), ("updated_at", "pk"), request.GET,
                       setting("PICDESK_DESK_PAGE_SIZE"))
    counts = dict(Slide.objects.filter(slideshow__in=page.rows).values_list("slideshow").annotate(n=Count("pk"))
                  .order_by())
    for show in page.rows:
        show.photo_count = counts.get(show.pk, 0)
    return render(request, "desk/slideshows.html", {"slideshows": page.rows, "page": page, "form": form})


def _ordered_slide_ids(post) -> list[int]:
    """The slide order the form sent, with a "move up/down" button applied."""
    order = [int(pk) for pk in post.getlist("order") if pk.isdigit()]
    slide_id, _, direction = post.get("move", "").partition(":")
    if slide_id.isdigit() and int(slide_id) in order:
        at = order.index(int(slide_id))
        to = at - 1 if direction == "up" else at + 1
        if 0 <= to < len(order):
            order[at], order[to] = order[to], order[at]
    return order


@role_required("editor")
def builder(request, pk: int):
    show = get_object_or_404(Slideshow, pk=pk)
    form = SlideshowForm(request.POST or None, instance=show)
    if request.method == "POST" and _save_builder(request, show, form):
        live = Slideshow.objects.live().filter(pk=show.pk).exists()
        messages.success(request, "Saved." + (" Readers see the change now." if live else ""))
        return redirect("desk:builder", pk=show.pk)
    return render(request, "desk/builder.html", _builder_context(show, form))


def _save_builder(request, show: Slideshow, form: SlideshowForm) -> bool:
    """Save what the builder's form sent (details, order, captions, removals)
    as one edit; False when the form is invalid."""
    if not form.is_valid():
        return False
    captions = {int(name.removeprefix("caption-")): text for name, text in request.POST.items()
                if name.startswith("caption-") and name.removeprefix("caption-").isdigit()}
    headlines = {int(name.removeprefix("headline-")): text.strip() for name, text in request.POST.items()
                 if name.startswith("headline-") and name.removeprefix("headline-").isdigit()}
    removed = {int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()}
    details = {name: form.cleaned_data[name] for name in SlideshowForm.Meta.fields}
    try:
        with transaction.atomic():
            publishing.edit_slideshow(show, details=details, order=_ordered_slide_ids(request.POST),
                                      captions=captions, remove=removed, by=_by(request))
            # Headlines are the photos' own: edited here as on each photo's page.
            for slide in show.slides.select_related("photo").filter(pk__in=headlines):
                save_edits(slide.photo, {"headline": headlines[slide.pk][:limit_of("headline")]}, by=_by(request))
    except publishing.SlugFixed as exc:
        form.add_error("slug", str(exc))
        return False
    return True


def _by(request) -> Actor:
    return Actor("desk", request.user)


def _builder_context(show: Slideshow, form=None, schedule_form=None, warnings=None) -> dict:
    slides = list(show.slides.select_related("photo"))
    elsewhere = published_where((slide.photo_id for slide in slides), exclude_slideshow=show)
    return {
        "slideshow": show,
        "form": form or SlideshowForm(instance=show),
        "slides": [(slide, thumbnail_url(slide.photo), _published_slideshow(elsewhere, slide.photo_id)) for slide in slides],
        "warnings": check_slides(slides) if warnings is None else warnings,
        "schedule_form": schedule_form or ScheduleForm(),
        "correction_form": CorrectionForm(),
        "history": show.audit.select_related("photo")[:50],
        "is_live": Slideshow.objects.live().filter(pk=show.pk).exists(),
    }


def _published_slideshow(published: dict, photo_id: int) -> Slideshow | None:
    return published[photo_id].slideshow if photo_id in published else None


@require_POST
@role_required("editor")
def publish(request, pk: int):
    """Publish now or schedule; with caption warnings, only once confirmed.

    The buttons belong to the builder's form, so what is on screen (order,
    captions, details) is saved first: publishing never drops an edit."""
    show = get_object_or_404(Slideshow, pk=pk)
    if "title" in request.POST:
        details = SlideshowForm(request.POST, instance=show)
        if not _save_builder(request, show, details):
            messages.error(request, "Not published: fix the details below first.")
            return render(request, "desk/builder.html", _builder_context(show, details), status=400)
    form = ScheduleForm(request.POST)
    slides = list(show.slides.select_related("photo"))
    if not form.is_valid() or not slides:
        if not slides:
            messages.error(request, "Add photos before publishing.")
        return render(request, "desk/builder.html", _builder_context(show, schedule_form=form), status=400)
    warnings = check_slides(slides)
    if warnings and not form.cleaned_data["confirm"]:
        confirm = ScheduleForm(initial={**form.cleaned_data, "confirm": True})
        context = _builder_context(show, schedule_form=confirm, warnings=warnings)
        return render(request, "desk/builder.html", {**context, "confirming": True})
    try:
        publishing.publish(show, form.cleaned_data["publish_at"], by=_by(request),
                           confirmed=form.cleaned_data["confirm"])
    except RightsRefused as refusal:
        for line in str(refusal).splitlines():
            messages.error(request, f"Not published: {line}")
        return render(request, "desk/builder.html", _builder_context(show, schedule_form=form), status=409)
    local = timezone.localtime(show.published_at)
    messages.success(request, f"Scheduled for {local:%Y-%m-%d %H:%M:%S} {local.tzinfo}: readers see nothing before."
                     if show.status == Slideshow.Status.SCHEDULED else "Published.")
    return redirect("desk:builder", pk=show.pk)


@require_POST
@role_required("editor")
def unpublish(request, pk: int):
    show = get_object_or_404(Slideshow, pk=pk)
    publishing.unpublish(show, by=_by(request))
    messages.success(request, "Unpublished: readers no longer see it.")
    return redirect("desk:builder", pk=show.pk)


@require_POST
@role_required("editor")
def correct(request, pk: int):
    show = get_object_or_404(Slideshow, pk=pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        publishing.correct(show, form.cleaned_data["note"], by=_by(request))
        messages.success(request, "Correction added to the page.")
    else:
        messages.error(request, "A correction needs a note.")
    return redirect("desk:builder", pk=show.pk)


@require_safe
@role_required("editor")
def preview(request, pk: int):
    """Exactly the reader's page, whatever the slideshow's state."""
    show = get_object_or_404(with_everything_shown(Slideshow.objects.all()), pk=pk)
    context = {**slideshow_context(request, show), "preview": True}
    response = with_includes(render(request, "reader/slideshow.html", context))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@role_required("editor")
def series(request):
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = publishing.save_series(form.save(commit=False), by=_by(request))
        messages.success(request, f"Series “{made}” created.")
        return redirect("desk:series")
    all_series = Series.objects.annotate(count=Count("slideshows"))
    return render(request, "desk/series.html", {"form": form, "all_series": all_series})


@require_POST
@role_required("editor")
def rename_series(request, pk: int):
    found = get_object_or_404(Series, pk=pk)
    old = found.name
    form = SeriesForm(request.POST, instance=found)
    if form.is_valid():
        publishing.save_series(form.save(commit=False), by=_by(request), was=old)
        messages.success(request, f"Renamed to “{found.name}”.")
    else:
        messages.error(request, "; ".join(form.errors.get("name", ["Not saved."])))
    return redirect("desk:series")
