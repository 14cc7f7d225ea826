"""The contact sheet: filters, where each photo is used, and what the
selection buttons do."""

import pytest

from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slideshow
from tests.factories import ingest_bytes, make_jpeg, make_photo, make_slideshow

pytestmark = pytest.mark.django_db


def _photo(**xmp):
    raw = {f"Xmp.{key}": value for key, value in xmp.items()}
    return ingest_bytes(make_jpeg(xmp=raw), "p.jpg").photo


@pytest.fixture
def sheet():
    return {
        "harbour": _photo(**{"dc.description": {'lang="x-default"': "Boats in the harbour."},
                             "dc.creator": ["Ana Ruiz"], "photoshop.DateCreated": "2026-03-04",
                             "photoshop.City": "Lisbon"}),
        "protest": _photo(**{"dc.description": {'lang="x-default"': "Crowds march."},
                             "dc.creator": ["Ben Ode"], "dc.subject": ["politics", "protest"],
                             "photoshop.DateCreated": "2026-05-20",
                             "iptcExt.PersonInImage": ["Maria Lopez"]}),
        "used": make_photo("Already in a slideshow."),
    }


def _shown(client, query=""):
    html = client.get(f"/desk/?{query}").content.decode()
    return {name for name, pk in _ids().items() if f'name="photo" value="{pk}"' in html}


def _ids():
    return {photo.caption.split()[0].lower().strip("."): photo.pk for photo in Photo.objects.all()}


def test_filters(signed_in, sheet):
    make_slideshow(photos=[sheet["used"]])
    client = signed_in("contributor")
    assert _shown(client) == {"boats", "crowds", "already"}
    assert _shown(client, "q=harbour") == {"boats"}
    assert _shown(client, "q=lisbon") == {"boats"}
    assert _shown(client, "q=protest") == {"crowds"}  # a keyword
    assert _shown(client, "q=maria+lopez") == {"crowds"}  # a person shown
    assert _shown(client, "photographer=Ana+Ruiz") == {"boats"}
    assert _shown(client, "from=2026-05-01&to=2026-05-31") == {"crowds"}
    assert _shown(client, "to=2026-03-04") == {"boats"}
    assert _shown(client, "unused=1") == {"boats", "crowds"}


def test_each_photo_says_where_it_is_used(signed_in, sheet):
    make_slideshow("Week in pictures", photos=[sheet["used"]])
    html = signed_in("contributor").get("/desk/").content.decode()
    assert "Week in pictures</a>" in html
    assert html.count("Unused") >= 2


def test_new_slideshow_from_selection_is_in_the_order_taken(editor, sheet):
    picked = [sheet["protest"].pk, sheet["harbour"].pk]
    response = editor.post("/desk/selection/", {"photo": picked, "action": "new", "title": "Spring"})
    show = Slideshow.objects.get(title="Spring")
    assert response["Location"] == f"/desk/slideshows/{show.pk}/"
    assert show.status == "draft"
    assert [s.photo_id for s in show.slides.all()] == [sheet["harbour"].pk, sheet["protest"].pk]


def test_add_to_a_slideshow_skips_photos_already_in_it(editor, sheet):
    show = make_slideshow(photos=[sheet["used"]], publish=False)
    editor.post("/desk/selection/", {"photo": [sheet["used"].pk, sheet["harbour"].pk],
                                     "action": "add", "slideshow": show.pk})
    assert [s.photo_id for s in show.slides.all()] == [sheet["used"].pk, sheet["harbour"].pk]


def test_contributors_cannot_make_slideshows(signed_in, sheet):
    response = signed_in("contributor").post(
        "/desk/selection/", {"photo": [sheet["harbour"].pk], "action": "new", "title": "No"})
    assert response.status_code == 403
    assert not Slideshow.objects.exists()


def test_metadata_on_the_sheet_is_escaped(signed_in):
    make_photo(headline='<img src=x onerror="alert(1)">')
    html = signed_in("contributor").get("/desk/").content.decode()
    assert "onerror=\"alert" not in html and "&lt;img src=x" in html


def test_pages_keep_the_filters(signed_in, sheet, monkeypatch):
    monkeypatch.setenv("PICDESK_DESK_PAGE_SIZE", "1")
    client = signed_in("contributor")
    assert 'rel="next" href="?page=2"' in client.get("/desk/").content.decode()
    filtered = client.get("/desk/?unused=1").content.decode()
    assert 'rel="next" href="?unused=1&amp;page=2"' in filtered
