"""`picdesk check`: storage against the database, and what --repair rebuilds."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from picdesk.photos.storage_names import rendition_url
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from picdesk.photos.integrity import check, incomplete_photo_ids
from picdesk.photos.models import Rendition
from picdesk.photos.renditions import make_renditions
from tests.factories import make_photo
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(monkeypatch):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "64")
    found = make_photo(width=96, height=64)
    make_renditions(found)
    return found


def test_a_consistent_home_is_clean(photo):
    report = check()
    assert report.clean and (report.photos, report.renditions) == (1, 1)  # its one JPEG


def test_orphans_are_found_and_removed(photo):
    default_storage.save("originals/ab/" + "ab" * 32 + ".jpg", ContentFile(b"left by a killed import"))
    default_storage.save("renditions/stray/64.jpg", ContentFile(b"left by a killed worker"))
    report = check()
    assert len(report.orphan_files) == 2 and not report.clean
    check(repair=True)
    assert check().clean


# A process writing a rendition, stopped half-way until it is killed.
WRITER = """
import sys, time
from picdesk.core.storage import write_whole
def chunks():
    yield b"the first half of a rendition"
    print("writing", flush=True)
    time.sleep(600)
write_whole(sys.argv[1], chunks())
"""


def test_a_write_killed_midway_is_left_alone_while_it_runs_then_tidied_by_the_next_render(photo):
    folder = Path(default_storage.path(photo.renditions.get().file)).parent
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder / "64.jpg")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        assert check().clean, "a write in progress was taken for an orphan"
        [partial] = folder.glob(".partial-*")
        eleven_minutes_ago = time.time() - 11 * 60  # no write takes that long, and pids are reused
        os.utime(partial, (eleven_minutes_ago, eleven_minutes_ago))
        assert check().orphan_files == [f"renditions/{folder.name}/{partial.name}"]
        os.utime(partial)
        writer.kill()
        # Killed, not yet collected by its parent (a zombie, as the orphans of
        # a killed import are until something reaps them): it has ended.
        wait_for(lambda: Path(f"/proc/{writer.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z",
                 "the killed writer never became a zombie")
        assert check().orphan_files == [f"renditions/{folder.name}/{partial.name}"]
    finally:
        writer.kill()
        writer.wait()
    assert check().orphan_files == [f"renditions/{folder.name}/{partial.name}"]
    lost = photo.renditions.get()
    default_storage.delete(lost.file)
    lost.delete()
    make_renditions(photo)  # as the retried job of the killed worker does
    assert not partial.exists() and check().clean


def test_a_check_in_batches_of_two_finds_what_one_batch_finds(monkeypatch):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "64")
    photos = [make_photo(f"Photo {n}.", width=96, height=64) for n in range(5)]
    for photo in photos:
        make_renditions(photo)
    strays = [default_storage.save(f"renditions/stray{n}/64.jpg", ContentFile(b"stray")) for n in range(3)]
    default_storage.delete(photos[3].original)
    whole = check()
    monkeypatch.setattr("picdesk.core.batches.BATCH", 2)
    batched = check(quick=True)
    assert (batched.photos, batched.renditions) == (whole.photos, whole.renditions) == (5, Rendition.objects.count())
    assert batched.orphan_files == whole.orphan_files == sorted(strays)
    assert batched.missing_originals == whole.missing_originals == [photos[3].original]


def test_a_rendition_without_its_file_is_remade_and_the_next_check_is_clean(photo):
    lost = photo.renditions.first()
    default_storage.delete(lost.file)
    report = check()
    assert report.rows_without_files == [lost.file]
    assert "run `picdesk check --repair` to rebuild what can be rebuilt" in report.lines()
    repaired = check(repair=True)
    assert repaired.incomplete_photos == [] and repaired.repaired
    assert not photo.renditions.filter(pk=lost.pk).exists() and photo.renditions.count() == 1
    again = check()
    assert again.clean and not any("--repair" in line for line in again.lines())


def test_a_cut_rendition_is_told_from_a_missing_one_and_remade(photo):
    cut = photo.renditions.get()
    with default_storage.open(cut.file, "rb") as f:
        whole = f.read()
    default_storage.delete(cut.file)
    default_storage.save(cut.file, ContentFile(whole[: len(whole) // 2]))
    report = check()
    assert (report.altered_renditions, report.rows_without_files) == ([cut.file], [])
    check(repair=True)
    assert check().clean
    with default_storage.open(photo.renditions.get().file, "rb") as f:
        assert len(f.read()) == len(whole)


def test_a_missing_original_is_told_from_an_altered_one(photo):
    default_storage.delete(photo.original)
    report = check(repair=True)
    assert (report.missing_originals, report.altered_originals) == ([photo.original], [])
    lines = report.lines()
    assert f"original missing: {photo.original}" in lines
    assert any("copy it back under the same name" in line for line in lines)
    assert not any("run `picdesk check --repair`" in line for line in lines)


def test_an_altered_original_is_reported_never_touched(photo):
    with default_storage.open(photo.original, "wb") as f:
        f.write(b"tampered")
    report = check(repair=True)
    assert report.altered_originals == [photo.original] and not report.clean
    with default_storage.open(photo.original, "rb") as f:
        assert f.read() == b"tampered"


def test_a_missing_original_is_a_404_wherever_it_is_asked_for(photo, client, signed_in):
    from tests.factories import make_slideshow

    photo.usage_terms = "CC BY 4.0"
    photo.save()
    make_slideshow(photos=[photo])
    default_storage.delete(photo.original)
    assert client.get(rendition_url(photo, 64, "jpeg", "16x9")).status_code == 404
    assert client.get(f"/api/v1/photos/{photo.public_key}/original").status_code == 404
    assert signed_in("contributor").get(f"/desk/photos/{photo.pk}/original/").status_code == 404


@pytest.mark.parametrize("width", [40, 64, 100, 320, 400, 640, 900])
def test_the_one_query_scan_agrees_with_the_planned_widths(monkeypatch, width):
    from picdesk.photos.spec import planned_widths

    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "64,320,640")
    photo = make_photo(width=width, height=max(32, width // 2))
    assert incomplete_photo_ids() == [photo.pk]
    make_renditions(photo)
    assert sorted(photo.renditions.values_list("width", flat=True)) == planned_widths(photo.width)
    assert incomplete_photo_ids() == []
    photo.renditions.order_by("?").first().delete()
    assert incomplete_photo_ids() == [photo.pk]
