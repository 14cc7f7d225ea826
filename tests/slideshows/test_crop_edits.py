"""Crops editors choose: a box per aspect or a focal point, used at once by
every page that shows the crop, under a new address, the old one sent on."""

import re

import pytest
import pyvips
from django.test import Client

from picdesk.audit.models import AuditEntry
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.models import Rendition
from picdesk.photos.renditions import rendition_widths
from picdesk.photos.storage_names import rendition_url
from picdesk.slideshows.crop_edits import BadCrop, choose_crop
from tests.factories import make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db


def _two_halves() -> bytes:
    """400 x 200: the left half red, the right half blue."""
    x = pyvips.Image.xyz(400, 200)[0]
    right = x > 199
    image = right.ifthenelse([0, 0, 255], [255, 0, 0]).cast("uchar").copy(interpretation="srgb")
    return image.jpegsave_buffer(Q=95)


def _colour(client, url: str) -> str:
    response = client.get(url)
    while response.status_code == 302:
        response = client.get(response["Location"])
    image = pyvips.Image.new_from_buffer(b"".join(response.streaming_content), "")
    red, _, blue = (image[band].avg() for band in range(3))
    return "red" if red > 200 and blue < 60 else "blue" if blue > 200 and red < 60 else "mixed"


def _crop_url(photo, aspect: str) -> str:
    return rendition_url(photo, rendition_widths(photo, aspect)[0], "jpeg", aspect)


@pytest.fixture
def halves():
    photo = ingest_bytes(_two_halves(), "halves.jpg").photo
    photo.focus = {"x": 0.0, "y": 0.5, "w": 0.0, "h": 0.0, "source": "editor"}  # the red side
    photo.save()
    return photo


def test_a_box_drawn_for_an_aspect_is_what_readers_get(halves, editor):
    show = make_slideshow(photos=[halves])
    before, wide = _crop_url(halves, "1x1"), _crop_url(halves, "16x9")
    assert _colour(Client(), before) == "red"
    assert Rendition.objects.filter(photo=halves, crop="1x1").exists()
    answer = editor.post(f"/desk/photos/{halves.pk}/crop/", {"aspect": "1x1", "x": "0.5", "y": "0", "w": "0.5"})
    assert answer.status_code == 302
    halves.refresh_from_db()
    assert halves.crop_boxes == {"1x1": {"x": 0.5, "y": 0.0, "w": 0.5, "h": 1.0}}
    assert not Rendition.objects.filter(photo=halves, crop="1x1").exists()  # the old crops are gone
    after = _crop_url(halves, "1x1")
    assert after != before and _colour(Client(), after) == "blue"
    assert Client().get(before)["Location"] == after  # an old address leads to the new crop
    assert _crop_url(halves, "16x9") == wide  # other aspects keep the focus, and their files
    assert AuditEntry.objects.filter(photo=halves, action="cropped", detail="1x1 crop chosen").exists()
    slide_page = page(Client(), f"{show.get_absolute_url()}1/")
    og_image = re.search(r'property="og:image" content="([^"]+)"', slide_page).group(1)
    assert og_image.endswith(rendition_url(halves, int(re.search(r"/(\d+)\.jpg$", og_image).group(1)), "jpeg",
                                           "191x100"))


def test_a_focal_point_moves_every_crop_without_a_box(halves, editor):
    make_slideshow(photos=[halves])
    assert _colour(Client(), _crop_url(halves, "1x1")) == "red"
    editor.post(f"/desk/photos/{halves.pk}/crop/", {"focus": "point", "fx": "0.9", "fy": "0.5"})
    halves.refresh_from_db()
    assert halves.focus["source"] == "editor" and halves.focus["x"] == 0.9
    assert _colour(Client(), _crop_url(halves, "1x1")) == "blue"
    editor.post(f"/desk/photos/{halves.pk}/crop/", {"focus": "auto"})
    halves.refresh_from_db()
    assert halves.focus is None  # found again from the picture when a crop is next made


def test_a_contributor_may_not_recrop_a_live_photo(halves, signed_in):
    make_slideshow(photos=[halves])
    signed_in("contributor").post(f"/desk/photos/{halves.pk}/crop/", {"aspect": "1x1", "x": "0.5", "y": "0", "w": "0.5"})
    halves.refresh_from_db()
    assert halves.crop_boxes == {}


@pytest.mark.parametrize("aspect, box, problem", [
    ("2x3", {"x": 0, "y": 0, "w": 0.5}, "no aspect"),
    ("1x1", {"x": 0.8, "y": 0, "w": 0.5}, "inside the photo"),
    ("1x1", {"x": "left", "y": 0, "w": 0.5}, "must be a number"),
    ("1x1", {"x": 0, "y": 0, "w": 0}, "inside the photo"),
    ("16x9", {"x": 0, "y": 0.9, "w": 0.5}, "inside the photo"),
])
def test_boxes_outside_the_photo_are_refused(halves, aspect, box, problem):
    with pytest.raises(BadCrop, match=problem):
        choose_crop(halves, aspect, box)
