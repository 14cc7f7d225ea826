"""The contact sheet, a photo's page (metadata, history, kill), bulk edits."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from picdesk.audit.models import AuditEntry
from picdesk.core.config import setting
from picdesk.core.keyset import page_by_key
from picdesk.reader.search import matching_photo_ids
from picdesk.slideshows.metadata_edits import LiveEditRefused, apply_changes, plan_bulk_edit, save_edits
from picdesk.desk.views.crops import crop_choices
from picdesk.desk.views.culling import back
from picdesk.desk.views.rights import LeaseForm
from picdesk.slideshows.stationery import plan_template
from picdesk.desk.forms import BulkEditForm, KillForm, NewSlideshowForm, PhotoMetadataForm
from picdesk.photos.bursts import bursts
from picdesk.photos.downloads import desk_copy_response, stored_original_response
from picdesk.photos.marks import COLOR_CLASSES, MAX_RATING, PICKED, REJECTED, UNMARKED
from picdesk.photos.models import Photo
from picdesk.photos.rights import WARN, Restriction, restrictions_by_photo
from picdesk.photos.storage_names import rendition_url
from picdesk.photos.renditions import nearest_width
from picdesk.core.roles import has_role, role_required
from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.routing import NOTIFYING
from picdesk.slideshows.models import Slide, Slideshow
from picdesk.audit.models import Actor
from picdesk.slideshows.reuse import Published, published_where
from picdesk.slideshows.publishing import WithdrawnPhotos, add_photos, create_slideshow, photo_count
from picdesk.slideshows.rights_gate import RightsRefused

THUMBNAIL_WIDTH = 320
PREVIEW_WIDTH = 1024
LOUPE_WIDTH = 1600
PICK_FILTERS = {"picked": PICKED, "rejected": REJECTED, "unmarked": UNMARKED}
RECENT_ARRIVALS = 2000


def thumbnail_url(photo: Photo) -> str:
    return rendition_url(photo, nearest_width(photo, THUMBNAIL_WIDTH), "jpeg")


def loupe_url(photo: Photo) -> str:
    return rendition_url(photo, nearest_width(photo, LOUPE_WIDTH), "jpeg")


def filtered_photos(params):
    """Photos in use matching the contact sheet's filters, newest first."""
    photos = Photo.objects.in_use().prefetch_related(
        Prefetch("slides", queryset=Slide.objects.select_related("slideshow"))
    )
    if text := params.get("q", "").strip():
        photos = _matching(photos, text)
    # Date created is ISO 8601 text (IPTC allows partial dates): text order is date order.
    if start := params.get("from", "").strip():
        photos = photos.filter(date_created__gte=start)
    if end := params.get("to", "").strip():
        photos = photos.filter(date_created__lt=end + "\uffff").exclude(date_created="")
    if photographer := params.get("photographer", "").strip():
        photos = photos.filter(byline=photographer)
    photos = _marked(photos, params)
    if params.get("unused"):
        # NOT EXISTS, not a left join: PostgreSQL then walks the newest photos
        # and stops at a page, where the join's misestimate hashed every slide.
        photos = photos.filter(~Exists(Slide.objects.filter(photo=OuterRef("pk"))))
    return photos


def _marked(photos, params):
    """The culling filters: at least n stars, one colour class, picks or rejects."""
    if (stars := params.get("rating", "")).isdigit() and int(stars):
        photos = photos.filter(rating__gte=int(stars))
    if (number := params.get("class", "")).isdigit():
        photos = photos.filter(color_class=int(number))
    if (pick := params.get("pick", "")) in PICK_FILTERS:
        photos = photos.filter(pick=PICK_FILTERS[pick])
    return photos


def _matching(photos, text: str):
    """Photos whose text matches, through the search index readers use
    (words, the last also as a prefix, accents folded): a scan of every
    caption would read the whole archive."""
    if (ids := matching_photo_ids(text)) is not None:
        return photos.filter(pk__in=ids)
    return photos.filter(  # a database without a search index
        Q(caption__icontains=text) | Q(headline__icontains=text) | Q(byline__icontains=text)
        | Q(keywords__icontains=text) | Q(persons_shown__icontains=text) | Q(city__icontains=text)
        | Q(sublocation__icontains=text) | Q(state__icontains=text) | Q(country__icontains=text)
        | Q(title__icontains=text)
    )


@require_safe
@role_required("contributor")
def contact_sheet(request):
    page = page_by_key(filtered_photos(request.GET), ("pk",), request.GET, setting("PICDESK_DESK_PAGE_SIZE"))
    params = request.GET.copy()
    for cursor in ("before", "after", "page"):
        params.pop(cursor, None)
    context = {
        # New arrivals join the first, unfiltered page as they come (desk/contact_sheet.js).
        "live": page.newer is None and not params,
        "latest_id": Photo.objects.aggregate(latest=Max("pk"))["latest"] or 0,
        "page": page,
        "groups": sheet_groups(page.rows),
        "photographers": recent_photographers(),
        "slideshows": Slideshow.objects.order_by("-updated_at")[:50],
        "add_to": request.GET.get("add_to", ""),
        "filters": params.urlencode(),
        "color_classes": COLOR_CLASSES.items(),
        "pick_filters": [("picked", "Picked"), ("rejected", "Rejected"), ("unmarked", "Neither")],
        "ratings": range(1, MAX_RATING + 1),
        "here": request.get_full_path(),
    }
    return render(request, "desk/contact_sheet.html", context)


def recent_photographers() -> list[str]:
    """The by-lines of the latest arrivals, offered as the photographer
    filter's suggestions (any name can be typed): every by-line of a
    million-photo archive is a scan and a list no one scrolls."""
    latest = Photo.objects.in_use().order_by("-pk").values_list("byline", flat=True)[:RECENT_ARRIVALS]
    return sorted({name for name in latest if name})


@dataclass
class SheetItem:
    photo: Photo
    thumb: str
    loupe: str
    used: dict | None = None  # where it, a near copy or a frame of its burst is published
    rights: Restriction | None = None  # the gravest of what its rights say against publishing


def sheet_groups(photos: list[Photo]) -> list[list[SheetItem]]:
    """The contact sheet's photos as bursts (one frame shown, the others behind
    it), each flagged where it or a near copy is already published; one frame
    of a burst published flags them all."""
    published = published_where(p.pk for p in photos)
    rights = {pk: found[0] for pk, found in restrictions_by_photo(photos).items() if found[0].action != WARN}
    groups = []
    for burst in bursts(photos):
        where = next((published[p.pk] for p in burst if p.pk in published), None)
        groups.append([
            SheetItem(p, thumbnail_url(p), loupe_url(p), _flag(published.get(p.pk), where), rights.get(p.pk))
            for p in burst
        ])
    return groups


def _flag(own: Published | None, burst: Published | None) -> dict | None:
    if own is None and burst is None:
        return None
    if own is not None:
        return {"slideshow": own.slideshow, "near": own.near}
    return {"slideshow": burst.slideshow, "near": True}


CHANNELS = {"cli": "picdesk import", "desk": "upload", "api": "the API", "ftp": "FTP",
            "hot folder": "hot folder", "demo": "the demo"}


@require_safe
@role_required("contributor")
def arrivals(request):
    """Photos that arrived after ``?after=`` (a photo id), as contact-sheet
    items, newest first, and how many arrived since ``?since=`` by channel:
    what the open contact sheet polls for."""
    after, since = (int(v) if v.isdigit() else 0 for v in (request.GET.get("after", ""), request.GET.get("since", "")))
    new = list(filtered_photos({}).filter(pk__gt=after).order_by("-pk")[: setting("PICDESK_DESK_PAGE_SIZE")])
    items = [render_to_string("desk/sheet_item.html", {"photo": p, "thumb": thumbnail_url(p), "loupe": loupe_url(p)},
                              request) for p in new]
    counts = (Photo.objects.in_use().filter(pk__gt=since).values_list("channel").annotate(n=Count("pk"))
              .order_by("channel"))
    notices = (AuditEntry.objects.filter(action=NOTIFYING, photo_id__gt=since).values_list("detail")
               .annotate(n=Count("pk")).order_by("detail"))
    return JsonResponse({
        "latest": max([after, *(p.pk for p in new)]),
        "items": items,
        "counts": {CHANNELS.get(channel, channel or "unknown"): n for channel, n in counts},
        "notices": [f"routed {photo_count(n)} by rule {detail}" for detail, n in notices],
    })


def _taken_order(photos) -> list[Photo]:
    """In the order they were taken (file name, then arrival, where the files
    do not say): the sheet is newest first, which is rarely a story's order."""
    return sorted(photos, key=lambda p: (p.date_created or p.camera_time, p.original_name, p.pk))


@require_POST
@role_required("contributor")
def selection(request):
    """What the contact sheet's buttons do with the selected photos."""
    ids = [int(pk) for pk in request.POST.getlist("photo") if pk.isdigit()]
    photos = _taken_order(Photo.objects.in_use().filter(pk__in=ids))
    action = request.POST.get("action")
    if not photos:
        messages.error(request, "Select one or more photos first.")
        return redirect("desk:contact_sheet")
    if action == "bulk":
        # After the edit, back to the sheet as it was filtered.
        return redirect(f"{reverse('desk:bulk_edit')}?{urlencode({'ids': ','.join(str(p.pk) for p in photos), 'next': back(request)})}")
    if not has_role(request.user, "editor"):
        raise PermissionDenied("Making slideshows needs the editor role.")
    if action == "new":
        form = NewSlideshowForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the new slideshow a title.")
            return redirect("desk:contact_sheet")
        try:
            show = create_slideshow(form.cleaned_data["title"], photos, by=Actor("desk", request.user))
        except WithdrawnPhotos as exc:
            messages.error(request, f"Not made: a photo was killed meanwhile ({exc}).")
            return redirect("desk:contact_sheet")
        return redirect("desk:builder", pk=show.pk)
    if action == "add":
        show = get_object_or_404(Slideshow, pk=request.POST.get("slideshow") or 0)
        try:
            added = add_photos(show, photos, by=Actor("desk", request.user),
                               confirmed=bool(request.POST.get("confirm_restrictions")))
        except WithdrawnPhotos as exc:
            messages.error(request, f"Nothing added: a photo was killed meanwhile ({exc}).")
            return redirect("desk:contact_sheet")
        except RightsRefused as refusal:
            for line in str(refusal).splitlines():
                messages.error(request, f"Nothing added to a slideshow readers see: {line}")
            return redirect("desk:contact_sheet")
        messages.success(request, f"Added {photo_count(added)}.")
        return redirect("desk:builder", pk=show.pk)
    raise Http404("No such action")


@role_required("contributor")
def photo_detail(request, pk: int):
    photo = get_object_or_404(Photo.objects.in_use(), pk=pk)
    form = PhotoMetadataForm(request.POST or None, instance=photo)
    if request.method == "POST" and form.is_valid():
        # Validating a ModelForm already set the values on ``photo``: compare
        # them with the row as stored.
        stored = Photo.objects.get(pk=photo.pk)
        try:
            changed = save_edits(stored, {name: form.cleaned_data[name] for name in form.fields},
                                 by=Actor("desk", request.user))
        except LiveEditRefused as exc:
            messages.error(request, f"Not saved: {exc}.")
            return redirect("desk:photo", pk=photo.pk)
        if changed:
            messages.success(request, f"Saved: {', '.join(changed)}.")
        return redirect("desk:photo", pk=photo.pk)
    context = {
        "photo": photo,
        "thumbnail": rendition_url(photo, nearest_width(photo, PREVIEW_WIDTH), "jpeg"),
        "groups": form.groups(photo.metadata_sources),
        "camera_time": photo.camera_time,
        "used_in": Slideshow.objects.filter(slides__photo=photo).distinct(),
        "history": photo.audit.all()[:50],
        "kill_form": KillForm(),
        "crops": crop_choices(photo),
        "restrictions": restrictions_by_photo([photo]).get(photo.pk, []),
        "leases": photo.leases.all(),
        "lease_form": LeaseForm(prefix="lease"),
        "focus": photo.focus if (photo.focus or {}).get("source") == "editor" else None,
    }
    return render(request, "desk/photo.html", context)


@require_safe
@role_required("contributor")
def original(request, pk: int):
    return stored_original_response(get_object_or_404(Photo.objects.in_use(), pk=pk))


@require_safe
@role_required("contributor")
def desk_copy(request, pk: int):
    return desk_copy_response(get_object_or_404(Photo.objects.in_use(), pk=pk))


@require_POST
@role_required("editor")
def kill(request, pk: int):
    photo = get_object_or_404(Photo.objects.in_use(), pk=pk)
    form = KillForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A kill needs a reason.")
        return redirect("desk:photo", pk=pk)
    reason = form.cleaned_data["reason"]
    affected = kill_photo(photo, reason, by=Actor("desk", request.user))
    removed_from = ngettext("%d slideshow", "%d slideshows", len(affected)) % len(affected)
    messages.success(request, f"Killed “{photo}”: removed from {removed_from}.")
    return redirect("desk:contact_sheet")


@role_required("contributor")
def bulk_edit(request):
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
    photos = list(Photo.objects.in_use().filter(pk__in=ids))
    form = BulkEditForm(request.POST or None)
    changes = []
    if request.method == "POST" and form.is_valid():
        edits = dict(form.cleaned_data)
        template = edits.pop("template")
        changes = plan_template(_taken_order(photos), template) if template else []
        changes += plan_bulk_edit(photos, **edits)
        if "apply" in request.POST:
            try:
                done = apply_changes(changes, by=Actor("desk", request.user))
            except LiveEditRefused as exc:
                messages.error(request, f"Nothing saved: {exc}.")
                return redirect(request.get_full_path())
            messages.success(request, f"Changed {photo_count(len(done))}.")
            return redirect(back(request, request.GET))
    context = {"form": form, "photos": photos, "changes": changes, "query": request.GET.urlencode()}
    return render(request, "desk/bulk_edit.html", context)
