"""The contact sheet: filters, where each photo is used, and what the
selection buttons do."""

import re

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


def _links(html):
    """The Newer and Older links' query strings."""
    found = dict(re.findall(r'rel="(prev|next)" href="\?([^"]*)"', html))
    return {rel: query.replace("&amp;", "&") for rel, query in found.items()}


def test_pages_keep_the_filters(signed_in, sheet, monkeypatch):
    monkeypatch.setenv("PICDESK_DESK_PAGE_SIZE", "1")
    client = signed_in("contributor")
    first = _links(client.get("/desk/").content.decode())
    assert "prev" not in first and first["next"].startswith("before=")
    filtered = _links(client.get("/desk/?unused=1").content.decode())
    assert filtered["next"].startswith("unused=1&before=")
    assert _shown(client, filtered["next"]) <= {"boats", "crowds"}


def test_paging_by_key_shows_every_photo_once_while_photos_arrive(signed_in, monkeypatch):
    monkeypatch.setenv("PICDESK_DESK_PAGE_SIZE", "2")
    before = [make_photo(f"Before{n} arrival.") for n in range(5)]
    client = signed_in("contributor")
    seen, query, pages = [], "", 0
    while True:
        html = client.get(f"/desk/?{query}").content.decode()
        seen += [int(pk) for pk in re.findall(r'name="photo" value="(\d+)"', html)]
        make_photo(f"Arrived{pages} while paging.")  # joins the top, never this walk
        pages += 1
        if "next" not in (links := _links(html)):
            break
        query = links["next"]
    assert seen == sorted((p.pk for p in before), reverse=True) and pages == 3
    # Newer from the last page goes back up without a gap.
    back = client.get(f"/desk/?{links['prev']}").content.decode()
    assert [int(pk) for pk in re.findall(r'name="photo" value="(\d+)"', back)] == seen[2:4]
    assert "8 photos" in back  # the count follows arrivals


def test_the_slideshow_list_pages_by_last_change(editor, monkeypatch):
    monkeypatch.setenv("PICDESK_DESK_PAGE_SIZE", "2")
    shows = [make_slideshow(f"Show {n}", publish=False) for n in range(3)]
    first = editor.get("/desk/slideshows/").content.decode()
    assert "Show 2" in first and "Show 1" in first and "Show 0" not in first
    older = editor.get(f"/desk/slideshows/?{_links(first)['next']}").content.decode()
    assert "Show 0" in older and "Show 1" not in older and "prev" in _links(older)
    assert len(shows) == 3 and "<td>1</td>" in older  # its photo count


@pytest.mark.parametrize("cursor", ["before=abc", "before=99999999999999999999999", "after=1~2", "before=-1",
                                    "after=", "before=%00"])
def test_a_cursor_that_names_no_photo_is_a_page_not_an_error(signed_in, cursor):
    make_photo("Any photo.")
    assert signed_in("contributor").get(f"/desk/?{cursor}").status_code == 200
    assert signed_in("editor").get(f"/desk/slideshows/?{cursor}").status_code == 200
