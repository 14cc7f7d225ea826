"""`picdesk check`: storage against the database, and what --repair rebuilds."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from picdesk.photos.integrity import check, incomplete_photo_ids
from picdesk.photos.renditions import make_renditions
from tests.factories import make_photo

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


def test_a_rendition_without_its_file_is_dropped_and_queued_again(photo):
    lost = photo.renditions.first()
    default_storage.delete(lost.file)
    report = check()
    assert report.rows_without_files == [lost.file]
    repaired = check(repair=True)
    assert repaired.incomplete_photos == [photo.pk]  # queued for the worker
    assert not photo.renditions.filter(pk=lost.pk).exists()
    make_renditions(photo)  # what the worker does
    assert check().clean and incomplete_photo_ids() == []


def test_an_altered_original_is_reported_never_touched(photo):
    with default_storage.open(photo.original, "wb") as f:
        f.write(b"tampered")
    report = check(repair=True)
    assert report.bad_originals == [photo.original] and not report.clean
    with default_storage.open(photo.original, "rb") as f:
        assert f.read() == b"tampered"
