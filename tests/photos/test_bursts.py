"""Near-duplicates and bursts on real photos (the demo's): resized, re-encoded,
cropped and re-exposed copies are matched, different pictures are not; burst
frames are grouped; a published picture is flagged wherever a copy turns up."""

import itertools

import pyexiv2
import pytest
import pyvips

from picdesk.photos.bursts import bursts
from picdesk.photos.imaging import picture_distance, picture_hash
from picdesk.photos.near_copies import NEAR_BITS
from picdesk.photos.ingest import ingest_bytes
from tests.conftest import DEMO_PHOTOS
from tests.factories import make_slideshow

pytestmark = pytest.mark.django_db
PHOTOS = sorted(DEMO_PHOTOS.glob("*.jpg"))


def variants(image):
    """Eight copies a wire photo goes through: smaller, recompressed, cropped, re-exposed, softened."""
    w, h = image.width, image.height
    yield image.resize(0.5)
    yield image.resize(0.25)
    yield pyvips.Image.new_from_buffer(image.jpegsave_buffer(Q=40), "")
    yield image.crop(int(w * .05), int(h * .05), int(w * .9), int(h * .9))
    yield image.crop(int(w * .08), int(h * .08), int(w * .84), int(h * .84))
    yield (image * 1.1).cast("uchar")
    yield (image * 0.9).cast("uchar")
    yield image.gaussblur(1.5)


def hash_of(image):
    return picture_hash(image.thumbnail_image(320))


def test_near_duplicates_precision_and_recall_over_225_pairs():
    originals = {p.name: pyvips.Image.new_from_file(str(p)) for p in PHOTOS}
    hashes = {name: hash_of(image) for name, image in originals.items()}
    same = [picture_distance(hashes[name], hash_of(copy)) for name, image in originals.items()
            for copy in variants(image)]
    different = [picture_distance(a, b) for a, b in itertools.combinations(hashes.values(), 2)]
    assert len(same) + len(different) >= 200
    true_positives = sum(d <= NEAR_BITS for d in same)
    false_positives = sum(d <= NEAR_BITS for d in different)
    recall = true_positives / len(same)
    precision = true_positives / (true_positives + false_positives)
    print(f"\nnear-duplicates over {len(same)} copies and {len(different)} different pairs: "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision == 1.0 and recall == 1.0


def frame(serial: str, time: str, image=None) -> bytes:
    image = image if image is not None else pyvips.Image.new_from_file(str(PHOTOS[0])).resize(0.25)
    data = image.jpegsave_buffer(Q=85)
    with pyexiv2.ImageData(data) as img:
        exif = {"Exif.Photo.DateTimeOriginal": time}
        if serial:
            exif["Exif.Photo.BodySerialNumber"] = serial
        img.modify_exif(exif)
        return img.get_bytes()


def test_frames_of_one_body_seconds_apart_are_one_burst():
    base = pyvips.Image.new_from_file(str(PHOTOS[3])).resize(0.25)
    shots = [ingest_bytes(frame("A1", f"2026:11:26 10:00:0{n}", (base * (1 + n / 50)).cast("uchar")), f"{n}.jpg").photo
             for n in range(3)]
    later = ingest_bytes(frame("A1", "2026:11:26 10:05:00", base.flip("horizontal")), "later.jpg").photo
    other_body = ingest_bytes(frame("B2", "2026:11:26 10:00:01", base.rot180()), "b.jpg").photo
    groups = bursts([later, other_body, *reversed(shots)])
    assert [[p.pk for p in g] for g in groups] == [[later.pk], [other_body.pk], [p.pk for p in shots]]
    assert shots[0].camera_serial == "A1"


def test_a_copy_of_a_published_photo_is_flagged_on_the_sheet_and_in_the_builder(editor):
    original = pyvips.Image.new_from_file(str(PHOTOS[5]))
    published = ingest_bytes(original.jpegsave_buffer(Q=90), "first.jpg").photo
    make_slideshow("Already out", photos=[published])
    copy = ingest_bytes(original.resize(0.5).jpegsave_buffer(Q=50), "again.jpg").photo
    unrelated = ingest_bytes(pyvips.Image.new_from_file(str(PHOTOS[9])).jpegsave_buffer(), "new.jpg").photo
    sheet = editor.get("/desk/").content.decode()
    card = sheet.split(f'id="pick-{copy.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Already published (a near copy or a frame of its burst)" in card and "Already out" in card
    assert "Already published" not in sheet.split(f'id="pick-{unrelated.pk}"', 1)[1].split("</li>", 1)[0]
    draft = make_slideshow("Draft", photos=[copy, unrelated], publish=False)
    builder = editor.get(f"/desk/slideshows/{draft.pk}/").content.decode()
    assert builder.count("Already published, or a near copy of it, in") == 1
