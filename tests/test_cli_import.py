"""What `picdesk import` says about every file it is given, and the input it
refuses: every file a folder import does not take is named with why, one
exit-status rule, no empty titles or dates, and a future date is scheduled."""

import pyvips
import pytest

from tests.factories import agency_jpeg
from tests.test_cli import picdesk


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "shoot"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(agency_jpeg("First.", width=400, height=300))
    (folder / "b.jpg").write_bytes(agency_jpeg("Second.", width=400, height=300))
    (folder / "a.xmp").write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')
    (folder / "vector.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    (folder / "README.txt").write_text("shot list")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return folder


def test_every_file_a_folder_import_leaves_out_is_named_with_why(tmp_path, mixed_folder):
    result = picdesk(tmp_path / "home", "import", str(mixed_folder), "--slideshow", "Shoot")
    assert result.returncode == 0, result.stderr
    assert "imported 2 photos into draft slideshow" in result.stdout
    skipped = {line.split(": ")[1].rsplit("/", 1)[-1]: line for line in result.stderr.splitlines()
               if line.startswith("skipped: ")}
    assert set(skipped) == {"a.xmp", "vector.svg", "README.txt", ".DS_Store"}
    assert "not a photo (.svg file)" in skipped["vector.svg"]
    assert "XMP sidecar: read with the photo" in skipped["a.xmp"]
    assert "hidden file" in skipped[".DS_Store"]


def test_an_svg_named_on_its_own_is_refused_with_its_reason(tmp_path, mixed_folder):
    result = picdesk(tmp_path / "home", "import", str(mixed_folder / "vector.svg"), "--slideshow", "X")
    assert result.returncode == 1
    assert "error: vector.svg: unsupported format (svg)" in result.stderr


@pytest.mark.parametrize("path_kind", ["empty folder", "missing path"])
def test_nothing_imported_is_exit_status_1_whatever_the_cause(tmp_path, path_kind):
    path = tmp_path / "empty"
    if path_kind == "empty folder":
        path.mkdir()
    result = picdesk(tmp_path / "home", "import", str(path), "--slideshow", "Nothing")
    assert result.returncode == 1
    assert "no photos imported; no slideshow made" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--slideshow", ""], "--slideshow needs a title"),
    (["--slideshow", "   "], "--slideshow needs a title"),
    (["--slideshow", "X", "--date", ""], "--date empty"),
])
def test_empty_titles_and_dates_are_refused(tmp_path, mixed_folder, args, message):
    result = picdesk(tmp_path / "home", "import", str(mixed_folder / "a.jpg"), *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_a_future_date_with_publish_is_scheduled_not_published(tmp_path, mixed_folder):
    home = tmp_path / "home"
    result = picdesk(home, "import", str(mixed_folder / "a.jpg"), "--slideshow", "Tomorrow",
                     "--date", "2099-01-01T06:00:00+00:00", "--publish")
    assert result.returncode == 0, result.stderr
    assert "into scheduled slideshow" in result.stdout
    assert "readers see it from 2099-01-01 06:00 UTC" in result.stdout
    state = picdesk(home, "manage", "shell", "-c",
                    "from picdesk.slideshows.models import Slideshow; print(Slideshow.objects.get().status)")
    assert state.stdout.strip().splitlines()[-1] == "scheduled"


def test_the_shape_limit_is_a_setting(tmp_path, monkeypatch):
    """A stitched panorama of 1:10 is refused by default, and taken once
    PICDESK_MAX_ASPECT allows it."""
    panorama = tmp_path / "panorama.jpg"
    panorama.write_bytes(pyvips.Image.black(3000, 300).jpegsave_buffer())
    refused = picdesk(tmp_path / "home", "import", str(panorama), "--slideshow", "Pano")
    assert refused.returncode == 1 and "too long and thin: 3000 × 300" in refused.stderr
    assert "PICDESK_MAX_ASPECT" in refused.stderr
    monkeypatch.setenv("PICDESK_MAX_ASPECT", "12")
    taken = picdesk(tmp_path / "home", "import", str(panorama), "--slideshow", "Pano")
    assert taken.returncode == 0, taken.stderr
