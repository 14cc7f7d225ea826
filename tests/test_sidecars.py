"""XMP sidecars (a.xmp as Lightroom writes them, a.jpg.xmp as Photo Mechanic
does), read with their photo on every folder channel, their values winning
over the embedded ones."""

import ftplib
import io
import shutil
import subprocess

import pytest

from picdesk.photos.ingest import ingest_file
from picdesk.photos.models import Photo
from tests.conftest import DESK_PASSWORD
from tests.factories import agency_jpeg
from tests.test_cli import picdesk
from tests.test_ftp import photo_captions, staged_files, wait_until

pytestmark = pytest.mark.django_db


def _sidecar(path, caption: str, rating: int = 4):
    """An XMP sidecar as exiftool writes one: a photo's XMP, alone in a file."""
    subprocess.run(["exiftool", "-q", f"-XMP-dc:Description={caption}", f"-XMP-xmp:Rating={rating}",
                    "-XMP-photoshop:City=Lyon", str(path)], check=True)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "source.jpg").write_bytes(agency_jpeg("Embedded caption.", credit="WIRE"))
    return tmp_path


@pytest.mark.parametrize("sidecar_name", ["a.xmp", "a.jpg.xmp", "a.JPG.XMP"])
def test_the_sidecar_wins_over_the_embedded_metadata(folder, sidecar_name):
    photo_path = folder / ("a.JPG" if sidecar_name.isupper() or "JPG" in sidecar_name else "a.jpg")
    shutil.copy(folder / "source.jpg", photo_path)
    _sidecar(folder / sidecar_name, "The sidecar's caption.")
    photo = ingest_file(photo_path).photo
    assert (photo.caption, photo.rating, photo.city, photo.credit) == ("The sidecar's caption.", 4, "Lyon", "WIRE")
    assert photo.metadata_sources["caption"] == "XMP sidecar" and photo.metadata_sources["credit"] == "XMP"


def test_a_broken_sidecar_refuses_the_photo_by_name(folder):
    shutil.copy(folder / "source.jpg", folder / "b.jpg")
    (folder / "b.xmp").write_text("<not xmp")
    from picdesk.photos.ingest import IngestError

    with pytest.raises(IngestError, match="sidecar"):
        ingest_file(folder / "b.jpg")


def test_picdesk_import_reads_sidecars_with_their_photos(folder):
    shutil.copy(folder / "source.jpg", folder / "a.jpg")
    _sidecar(folder / "a.xmp", "Imported with its sidecar.")
    (folder / "source.jpg").unlink()
    home = folder / "home"
    result = picdesk(home, "import", str(folder / "a.jpg"), str(folder / "a.xmp"), "--slideshow", "Sidecars")
    assert result.returncode == 0, result.stderr
    assert photo_captions(home) == ["Imported with its sidecar."]
    assert "a.xmp: XMP sidecar: read with the photo" in result.stdout + result.stderr


def test_a_hot_folder_takes_the_sidecar_with_its_photo(folder):
    from picdesk.ops.hotfolder import HotFolder

    drop = folder / "drop"
    drop.mkdir()
    _sidecar(drop / "a.jpg.xmp", "From the hot folder's sidecar.")
    shutil.copy(folder / "source.jpg", drop / "a.jpg")
    hot = HotFolder(drop, settle=1)
    assert hot.sweep(now=0) == []  # the sidecar is never taken on its own
    lines = hot.sweep(now=2)
    assert len(lines) == 1 and lines[0].startswith("imported: a.jpg"), lines
    assert Photo.objects.get().caption == "From the hot folder's sidecar."
    assert sorted(p.name for p in (drop / "done").iterdir()) == ["a.jpg", "a.jpg.xmp"]


def test_a_sidecar_sent_by_ftp_before_its_photo_is_read(ftp_server, folder):
    home, port = ftp_server()
    _sidecar(folder / "IMG_7.xmp", "Sent by FTP with a sidecar.")
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.storbinary("STOR IMG_7.xmp", io.BytesIO((folder / "IMG_7.xmp").read_bytes()))
        ftp.storbinary("STOR IMG_7.JPG", io.BytesIO((folder / "source.jpg").read_bytes()))
    assert wait_until(lambda: photo_captions(home)) == ["Sent by FTP with a sidecar."]
    assert wait_until(lambda: not staged_files(home))


def test_a_sidecar_sent_by_ftp_after_its_photo_is_applied_to_it(ftp_server, folder):
    home, port = ftp_server()
    _sidecar(folder / "IMG_8.JPG.xmp", "The sidecar came second.", rating=3)
    _sidecar(folder / "IMG_9.xmp", "Nobody sent its photo.")
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.storbinary("STOR IMG_8.JPG", io.BytesIO((folder / "source.jpg").read_bytes()))
        assert wait_until(lambda: photo_captions(home)) == ["Embedded caption."]
    with ftplib.FTP() as ftp:  # as Photo Mechanic may: the sidecar over a connection of its own
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.storbinary("STOR IMG_8.JPG.xmp", io.BytesIO((folder / "IMG_8.JPG.xmp").read_bytes()))
        ftp.storbinary("STOR IMG_9.xmp", io.BytesIO((folder / "IMG_9.xmp").read_bytes()))
    assert wait_until(lambda: photo_captions(home) == ["The sidecar came second."])
    shown = picdesk(home, "manage", "shell", "-c", "from picdesk.photos.models import Photo; "
                    "from picdesk.audit.models import AuditEntry; p = Photo.objects.get(); "
                    "print(p.rating, p.city, p.credit, p.metadata_sources['caption'], "
                    "AuditEntry.objects.filter(photo=p).latest('pk').action)").stdout.strip().splitlines()[-1]
    assert shown == "3 Lyon WIRE XMP sidecar applied its XMP sidecar"
    # A sidecar whose photo has not come is kept for it, and nothing else is.
    assert wait_until(lambda: [p.name for p in staged_files(home)] == ["IMG_9.xmp"])
