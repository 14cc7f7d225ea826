"""Culling: ratings, colour classes, picks and rejects, read from the files
as Photo Mechanic, Lightroom and Bridge write them (exiftool writes them
here), set from the desk with or without JavaScript, on the record, used
as filters, and written back into the desk's download of the original."""

import hashlib
import json
import subprocess

import pytest

from picdesk.audit.models import AuditEntry
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.models import Photo
from tests.factories import agency_jpeg, make_photo

pytestmark = pytest.mark.django_db


def _with_exiftool(tmp_path, data: bytes, *assignments: str) -> bytes:
    path = tmp_path / "marked.jpg"
    path.write_bytes(data)
    subprocess.run(["exiftool", "-q", "-overwrite_original", *assignments, str(path)], check=True)
    return path.read_bytes()


def _tags(tmp_path, data: bytes) -> dict:
    path = tmp_path / "download.jpg"
    path.write_bytes(data)
    return json.loads(subprocess.run(["exiftool", "-json", "-n", "-G1", str(path)], capture_output=True,
                                     text=True, check=True).stdout)[0]


@pytest.mark.parametrize("assignments, expected", [
    (["-XMP-xmp:Rating=4", "-XMP-photomech:ColorClass=2", "-XMP-photomech:Tagged#=True"], (4, 2, 1)),
    (["-XMP-xmp:Rating=-1", "-XMP-xmp:Label=Green"], (0, 4, -1)),  # Lightroom: rejected, green label
    (["-XMP-xmp:Label=Trash"], (0, 8, 0)),  # Photo Mechanic's label is the class's name
    (["-XMP-xmp:Rating=9"], (5, 0, 0)),
    ([], (0, 0, 0)),
])
def test_marks_are_read_at_ingest(tmp_path, assignments, expected):
    data = agency_jpeg("Marked.")
    if assignments:
        data = _with_exiftool(tmp_path, data, *assignments)
    photo = ingest_bytes(data, "marked.jpg").photo
    assert (photo.rating, photo.color_class, photo.pick) == expected


def test_keys_mark_the_selection_on_the_record(signed_in):
    photos = [make_photo(f"Frame {n}.") for n in range(3)]
    client = signed_in("contributor")
    answer = client.post("/desk/photos/marks/", {"photo": [p.pk for p in photos[:2]], "rating": "3"},
                         HTTP_ACCEPT="application/json")
    assert answer.status_code == 200 and "3 stars" in answer.json()["said"]
    assert sorted(Photo.objects.values_list("rating", flat=True)) == [0, 3, 3]
    client.post("/desk/photos/marks/", {"photo": photos[0].pk, "pick": "-1", "color_class": "1"},
                HTTP_ACCEPT="application/json")
    photos[0].refresh_from_db()
    assert (photos[0].rating, photos[0].color_class, photos[0].pick) == (3, 1, -1)
    details = list(AuditEntry.objects.filter(action="culled", photo=photos[0]).order_by("pk").values_list("detail", flat=True))
    assert details == ["3 stars", "colour class Winner, rejected"]
    again = client.post("/desk/photos/marks/", {"photo": photos[0].pk, "rating": "3"}, HTTP_ACCEPT="application/json")
    assert again.status_code == 200
    assert AuditEntry.objects.filter(action="culled").count() == 3  # an unchanged mark is not a change


@pytest.mark.parametrize("field, value", [("rating", "6"), ("rating", "-1"), ("color_class", "9"),
                                          ("pick", "2"), ("rating", "three")])
def test_marks_that_do_not_exist_are_refused(signed_in, field, value):
    photo = make_photo()
    answer = signed_in("contributor").post("/desk/photos/marks/", {"photo": photo.pk, field: value},
                                           HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and answer.json()["error"]
    photo.refresh_from_db()
    assert (photo.rating, photo.color_class, photo.pick) == (0, 0, 0)


def test_without_javascript_the_form_marks_and_returns_to_the_filtered_sheet(signed_in):
    photo = make_photo("A frame.")
    client = signed_in("contributor")
    back = "/desk/?q=frame"
    response = client.post("/desk/photos/marks/", {"photo": photo.pk, "pick": "1", "next": back, "color_class": ""})
    assert response.status_code == 302 and response["Location"] == back
    photo.refresh_from_db()
    assert photo.pick == 1
    away = client.post("/desk/photos/marks/", {"photo": photo.pk, "rating": "2", "next": "https://evil.example/"})
    assert away["Location"] == "/desk/"


def test_the_sheet_filters_by_marks(signed_in):
    photos = {name: make_photo(f"{name} frame.") for name in ["five", "two", "winner", "reject", "plain"]}
    client = signed_in("contributor")
    for name, marks in {"five": {"rating": 5}, "two": {"rating": 2}, "winner": {"color_class": 1},
                        "reject": {"pick": -1}}.items():
        client.post("/desk/photos/marks/", {"photo": photos[name].pk, **marks}, HTTP_ACCEPT="application/json")

    def shown(query: str) -> set[str]:
        html = client.get(f"/desk/?{query}").content.decode()
        return {name for name, photo in photos.items() if f'data-photo="{photo.pk}"' in html}

    assert shown("rating=2") == {"five", "two"}
    assert shown("rating=5") == {"five"}
    assert shown("class=1") == {"winner"}
    assert shown("pick=rejected") == {"reject"}
    assert shown("pick=unmarked") == {"five", "two", "winner", "plain"}


def test_the_desk_download_carries_the_desks_metadata_and_marks(signed_in, tmp_path):
    photo = make_photo("Caption from the wire.", credit="WIRE")
    client = signed_in("editor")
    client.post("/desk/photos/marks/", {"photo": photo.pk, "rating": "4", "color_class": "3"},
                HTTP_ACCEPT="application/json")
    photo.refresh_from_db()
    photo.caption, photo.credit = "The desk's caption.", ""
    photo.save()
    tags = _tags(tmp_path, b"".join(client.get(f"/desk/photos/{photo.pk}/download/").streaming_content))
    assert tags["XMP-xmp:Rating"] == 4 and tags["XMP-xmp:Label"] == "Superior"
    assert tags["XMP-photomech:ColorClass"] == 3
    assert tags["XMP-dc:Description"] == "The desk's caption." and "XMP-photoshop:Credit" not in tags
    # Read back by picdesk, it is the same photo as the desk has it.
    again = ingest_bytes(_with_exiftool(tmp_path, b"".join(
        client.get(f"/desk/photos/{photo.pk}/download/").streaming_content), "-XMP-dc:Title=new bytes"), "again.jpg")
    assert (again.photo.rating, again.photo.color_class, again.photo.caption) == (4, 3, "The desk's caption.")
    stored = b"".join(client.get(f"/desk/photos/{photo.pk}/original/").streaming_content)
    assert hashlib.sha256(stored).hexdigest() == photo.sha256  # the original itself never changes


def test_a_rejected_frame_is_written_as_bridge_and_lightroom_read_it(signed_in, tmp_path):
    photo = make_photo()
    client = signed_in("contributor")
    client.post("/desk/photos/marks/", {"photo": photo.pk, "pick": "-1"}, HTTP_ACCEPT="application/json")
    tags = _tags(tmp_path, b"".join(client.get(f"/desk/photos/{photo.pk}/download/").streaming_content))
    assert tags["XMP-xmp:Rating"] == -1
