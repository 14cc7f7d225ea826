"""Choosing crops on a photo's desk page: a box per aspect, or the focal
point (slideshows.crop_edits does it). Plain forms of fractions, which
desk/crop.js fills as the editor drags a box or clicks a point."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from picdesk.audit.models import Actor
from picdesk.core.roles import role_required
from picdesk.photos.crops import Focus, crop_box
from picdesk.photos.models import Photo
from picdesk.photos.renditions import nearest_width
from picdesk.photos.spec import ASPECTS
from picdesk.photos.storage_names import rendition_url
from picdesk.slideshows.crop_edits import BadCrop, choose_crop, choose_focus
from picdesk.slideshows.metadata_edits import LiveEditRefused


@require_POST
@role_required("contributor")
def crop(request, pk: int):
    photo = get_object_or_404(Photo.objects.in_use(), pk=pk)
    data, by = request.POST, Actor("desk", request.user)
    try:
        if "focus" in data:
            point = None if data["focus"] == "auto" else (data.get("fx"), data.get("fy"))
            choose_focus(photo, point, by=by)
            messages.success(request, "Focal point saved: crops without a box follow it.")
        else:
            box = None if data.get("box") == "auto" else {name: data.get(name) for name in "xywh"}
            choose_crop(photo, data.get("aspect", ""), box, by=by)
            messages.success(request, f"The {ASPECT_NAMES[data['aspect']][0]} crop is saved: pages use it now.")
    except (BadCrop, LiveEditRefused) as exc:
        messages.error(request, f"Not saved: {exc}.")
    return redirect(f"{reverse('desk:photo', args=[photo.pk])}#crops")


ASPECT_NAMES = {"16x9": ("16:9", "covers and rails"), "1x1": ("1:1", "squares"), "191x100": ("1.91:1", "link previews")}


def crop_choices(photo: Photo) -> list[dict]:
    """Each aspect's crop as the photo page shows it: its current box (as
    fractions, for the form and desk/crop.js), whether an editor chose it,
    and a preview."""
    focus = Focus.from_dict(photo.focus)
    choices = []
    for aspect, ratio in ASPECTS.items():
        left, top, width, height = crop_box(photo.width, photo.height, aspect, focus, photo.crop_boxes.get(aspect))
        choices.append({
            "aspect": aspect, "name": ASPECT_NAMES[aspect][0], "use": ASPECT_NAMES[aspect][1],
            "ratio": ratio[0] / ratio[1],
            "chosen": aspect in photo.crop_boxes,
            "box": {"x": round(left / photo.width, 4), "y": round(top / photo.height, 4),
                    "w": round(width / photo.width, 4), "h": round(height / photo.height, 4)},
            "preview": rendition_url(photo, nearest_width(photo, 480, aspect), "jpeg", aspect),
        })
    return choices
