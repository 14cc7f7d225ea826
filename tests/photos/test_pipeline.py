"""The image pipeline: publishable set at import, AVIF and focus in the
background, crops that keep faces, on real photos (the demo's)."""

import pyvips
import pytest
from django.core.files.storage import default_storage

from picdesk.photos.crops import Focus, crop_box, find_focus
from picdesk.photos.spec import ASPECTS
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.storage_names import rendition_url
from picdesk.photos.renditions import make_background_renditions
from picdesk.photos.spec import planned_widths
from tests.conftest import DEMO_PHOTOS
from tests.factories import make_slideshow

pytestmark = pytest.mark.django_db

# skimage's astronaut (Eileen Collins, NASA, public domain), 512 x 512: her face
# lies within this box, in pixels (left, top, right, bottom).
ASTRONAUT_FACE = (170, 60, 280, 170)


@pytest.fixture
def astronaut():
    return (DEMO_PHOTOS / "eileen-collins.jpg").read_bytes()


def test_import_with_render_makes_the_publishable_set_at_once(astronaut):
    photo = ingest_bytes(astronaut, "astronaut.jpg", render=True).photo
    made = {(r.width, r.format) for r in photo.renditions.all()}
    widths = planned_widths(photo.width)
    assert made == {(w, "jpeg") for w in widths}  # the critical path: WebP and AVIF follow
    assert photo.placeholder.startswith("data:image/webp;base64,")
    assert len(photo.placeholder) <= 400


def test_background_adds_webp_avif_and_the_focus(astronaut, client):
    photo = ingest_bytes(astronaut, "astronaut.jpg", render=True).photo
    made = make_background_renditions(photo)
    assert {r.format for r in made} == {"webp", "avif"}
    loaders = {"webp": "webpload", "avif": "heifload"}
    for rendition in made:
        with default_storage.open(rendition.file, "rb") as f:
            loader = pyvips.Image.new_from_buffer(f.read(), "").get("vips-loader")
        assert loader.startswith(loaders[rendition.format])
    photo.refresh_from_db()
    assert photo.focus["source"] == "faces"
    show = make_slideshow(photos=[photo])
    html = client.get(show.get_absolute_url()).content.decode()
    assert html.index('<source type="image/avif"') < html.index('<source type="image/webp"')


def test_faces_are_found_in_a_real_photo(astronaut):
    focus = find_focus(pyvips.Image.new_from_buffer(astronaut, "").copy_memory())
    assert focus.source == "faces"
    left, top, right, bottom = ASTRONAUT_FACE
    centre_x, centre_y = (focus.x + focus.w / 2) * 512, (focus.y + focus.h / 2) * 512
    assert left < centre_x < right and top < centre_y < bottom


@pytest.mark.parametrize("aspect", sorted(ASPECTS))
def test_every_crop_keeps_the_face(astronaut, aspect):
    image = pyvips.Image.new_from_buffer(astronaut, "").copy_memory()
    focus = find_focus(image)
    # On a landscape frame the face must survive a crop to any aspect.
    wide = image.embed(256, 0, 1024, 512, extend="mirror")
    shifted = Focus((focus.x * 512 + 256) / 1024, focus.y, focus.w / 2, focus.h, focus.source)
    left, top, width, height = crop_box(1024, 512, aspect, shifted)
    ratio_w, ratio_h = ASPECTS[aspect]
    assert abs(width / height - ratio_w / ratio_h) < 0.01
    face_left, face_top, face_right, face_bottom = ASTRONAUT_FACE
    assert left <= face_left + 256 and face_right + 256 <= left + width
    assert top <= face_top and face_bottom <= top + height
    assert wide.crop(left, top, width, height).width == width


def test_without_faces_attention_picks_the_focus():
    data = (DEMO_PHOTOS / "mountains-sunset.jpg").read_bytes()
    image = pyvips.Image.thumbnail_buffer(data, 800).copy_memory()
    assert find_focus(image).source == "attention"


def test_cropped_rendition_is_served_at_its_aspect(astronaut, client):
    photo = ingest_bytes(astronaut, "astronaut.jpg").photo
    make_slideshow(photos=[photo])
    response = client.get(rendition_url(photo, 320, "jpeg", "16x9"))
    assert response.status_code == 200
    image = pyvips.Image.new_from_buffer(b"".join(response.streaming_content), "")
    assert (image.width, image.height) == (320, 180)
    assert client.get(rendition_url(photo, 320, "jpeg", "4x3")).status_code == 404


def test_focus_and_metadata_are_safe_on_many_threads(astronaut):
    """The web server makes on-demand crops on several threads; OpenCV's
    classifier and exiv2's XMP parser crashed the process when shared."""
    from concurrent.futures import ThreadPoolExecutor

    from picdesk.photos.renditions import rights_metadata

    image = pyvips.Image.new_from_buffer(astronaut, "").copy_memory()

    def work(n):
        blocks = rights_metadata(f"AGENCY {n}", "Jane Doe", "© 2026")
        return find_focus(image).source, len(blocks)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(64)))
    assert results == [("faces", 2)] * 64
