"""`picdesk demo` builds its slideshows from the photos that ship in the package."""

import json

import pytest
import pyvips

from picdesk.ops.demo.build import DEMO_DIR, build_demo
from picdesk.photos import imaging
from picdesk.photos.metadata import read_metadata
from picdesk.slideshows.models import Series, Slideshow
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db


def test_demo_builds_live_slideshows_once(client):
    lines = build_demo()
    assert len(lines) == 7
    password = lines[-2].split("with password ")[1].split(" ")[0]
    assert lines[-1].endswith("setpassword demo-editor")  # the way back from a lost password
    assert client.login(username="demo-editor", password=password)
    assert client.get("/desk/").status_code == 200
    client.logout()
    live = Slideshow.objects.live()
    assert live.count() == 5
    assert Series.objects.get(name="Photos of the week").slideshows.count() == 1
    for show in live:
        assert show.slides.count() >= 3
        for slide in show.slides.select_related("photo"):
            assert slide.photo.caption and slide.photo.credit_line
    home = client.get("/").content.decode()
    assert all(show.title.replace("'", "&#x27;") in home for show in live)
    long_caption_page = client.get(live.get(title__startswith="Autumn").get_absolute_url())
    assert b"...more" in long_caption_page.content
    assert build_demo() == ["this home already has slideshows; the demo adds none"]


def picture_hash(path) -> str:
    """The picture hash picdesk itself gives a photo (photos.imaging), from a
    320 px reduction: what a person checked the demo's captions against."""
    return imaging.picture_hash(pyvips.Image.thumbnail(str(path), 320).copy_memory())


MANIFEST = json.loads((DEMO_DIR / "slideshows.json").read_text())["photos"]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_demo_photo_carries_its_own_caption_and_picture(name):
    """Every shipped photo is the picture a person checked its caption against
    (pinned as ``picture_hash`` in the manifest), and carries that caption."""
    spec = MANIFEST[name]
    path = DEMO_DIR / "photos" / name
    found = picture_hash(path)
    assert imaging.picture_distance(found, spec["picture_hash"]) <= 4, (
        f"{name} is not the picture its caption was checked against; look at it beside "
        f"“{spec['headline']}”, then pin picture_hash {found!r} in slideshows.json")
    meta = read_metadata(path)
    assert (meta.headline, meta.caption) == (spec["headline"], spec["caption"])


def test_no_two_demo_photos_share_a_picture():
    hashes = [spec["picture_hash"] for spec in MANIFEST.values()]
    assert min(imaging.picture_distance(a, b) for n, a in enumerate(hashes) for b in hashes[n + 1:]) > 4


def test_the_fig_and_the_brushes_are_no_longer_swapped():
    """They were: the paint brushes were captioned as a fig, and the fig as brushes."""
    fig, brushes = (picture_hash(DEMO_DIR / "photos" / n) for n in ("fig.jpg", "paint-brushes.jpg"))
    assert imaging.picture_distance(fig, MANIFEST["fig.jpg"]["picture_hash"]) <= 4
    assert imaging.picture_distance(brushes, MANIFEST["fig.jpg"]["picture_hash"]) > 4


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_demo_photo_comes_from_the_source_the_manifest_names(name):
    source = SHARED / "corpus" / MANIFEST[name]["source_file"]
    if not source.exists():
        pytest.skip(f"../shared/corpus is not beside this checkout ({source}): the sources cannot be compared")
    assert imaging.picture_distance(picture_hash(source), picture_hash(DEMO_DIR / "photos" / name)) <= 4
