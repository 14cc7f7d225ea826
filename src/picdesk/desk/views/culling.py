"""Culling from the desk: rating, colour-classing, picking and rejecting the
selected photos (photos.culling does it), by a form without JavaScript or
by the contact sheet's keys (desk/cull.js), which ask for JSON."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from picdesk.audit.models import Actor
from picdesk.core.roles import role_required
from picdesk.photos.culling import mark
from picdesk.photos.marks import BadMark, Marks, describe
from picdesk.photos.models import MARKS, Photo


@require_POST
@role_required("contributor")
def cull(request):
    ids = [int(pk) for pk in request.POST.getlist("photo") if pk.isdigit()]
    photos = list(Photo.objects.in_use().filter(pk__in=ids).order_by("-pk"))
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        marks = Marks(**{name: _whole(request.POST[name]) for name in MARKS if request.POST.get(name, "") != ""})
        if not photos or not marks.given():
            raise BadMark("select one or more photos and a mark")
        mark(photos, marks, by=Actor("desk", request.user))
    except BadMark as exc:
        if wants_json:
            return JsonResponse({"error": str(exc)}, status=400)
        messages.error(request, f"Not marked: {exc}.")
        return redirect(back(request))
    said = "; ".join(f"{p}: {describe(p, list(marks.given()))}" for p in photos[:3])
    if len(photos) > 3:
        said += f"; and {len(photos) - 3} more"
    if wants_json:
        return JsonResponse({"said": said, "photos": [
            {"id": p.pk, **{name: getattr(p, name) for name in MARKS}} for p in photos]})
    messages.success(request, f"Marked {said}.")
    return redirect(back(request))


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BadMark(f"“{value[:20]}” is not a number") from None


def back(request, params=None) -> str:
    """Where a form posted from a desk page goes back to (its ``next``: the
    contact sheet with its filters), if on this site; else the contact sheet."""
    target = (params if params is not None else request.POST).get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("desk:contact_sheet")
