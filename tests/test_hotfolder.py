"""`picdesk watch`: a hot folder through the real command, with files written
slowly, broken files, files there before it started, and the polling observer."""

import hashlib
import signal
import subprocess
import sys
import time

import pytest

from tests.waiting import wait_for
from tests.factories import agency_jpeg, make_jpeg
from tests.test_cli import picdesk, picdesk_env


def start_watching(home, folder, *extra):
    watcher = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "watch", str(folder), "--settle", "1", *extra],
        env=picdesk_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert "watching" in watcher.stdout.readline()
    return watcher


def stop(watcher) -> str:
    watcher.send_signal(signal.SIGTERM)
    output, _ = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, output
    return output


def wait_for_file(path):
    wait_for(path.exists, f"{path} never appeared")


def photos_in(home) -> list[str]:
    result = picdesk(home, "manage", "shell", "-c",
                     "from picdesk.photos.models import Photo; print(sorted(Photo.objects.values_list('sha256', flat=True)))")
    return eval(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("observer", [[], ["--poll"]], ids=["events", "polling"])
def test_a_hot_folder_takes_finished_files_and_explains_failures(tmp_path, observer):
    home, folder = tmp_path / "home", tmp_path / "drop"
    folder.mkdir()
    before = agency_jpeg("Delivered before the watcher started.")
    (folder / "early.jpg").write_bytes(before)
    watcher = start_watching(home, folder, *observer)
    try:
        wait_for_file(folder / "done" / "early.jpg")
        # A sender writing in pieces, pausing under the settle time: never taken half-written.
        slow = make_jpeg(1200, 800)
        with open(folder / "slow.jpg", "wb") as f:
            for start in range(0, len(slow), len(slow) // 4 + 1):
                f.write(slow[start:start + len(slow) // 4 + 1])
                f.flush()
                time.sleep(0.5)
        (folder / "broken.jpg").write_bytes(slow[: len(slow) // 3])
        (folder / "notes.txt").write_text("not a photo")
        (folder / "upload.jpg.part").write_bytes(b"still arriving")
        wait_for_file(folder / "done" / "slow.jpg")
        wait_for_file(folder / "failed" / "broken.jpg.reason.txt")
        wait_for_file(folder / "failed" / "notes.txt.reason.txt")
    finally:
        output = stop(watcher)
    assert "damaged image data" in (folder / "failed" / "broken.jpg.reason.txt").read_text()
    assert "not a photo" in (folder / "failed" / "notes.txt.reason.txt").read_text()
    assert (folder / "upload.jpg.part").exists()  # a name still being written is left alone
    assert sorted(photos_in(home)) == sorted(hashlib.sha256(d).hexdigest() for d in (before, slow))
    assert "imported: slow.jpg" in output and "failed: broken.jpg" in output


def test_a_restart_takes_what_was_left_and_recognises_what_was_taken(tmp_path):
    """A file ingested but still in the folder (the watcher died before moving
    it) is the same bytes: reused, not imported twice."""
    home, folder = tmp_path / "home", tmp_path / "drop"
    folder.mkdir()
    data = agency_jpeg("Taken once.")
    (folder / "a.jpg").write_bytes(data)
    stop_after = start_watching(home, folder)
    wait_for_file(folder / "done" / "a.jpg")
    stop(stop_after)
    (folder / "a.jpg").write_bytes(data)  # as if the move had never happened
    watcher = start_watching(home, folder)
    try:
        wait_for_file(folder / "done" / "a (2).jpg")
    finally:
        output = stop(watcher)
    assert "already imported (reused): a.jpg" in output
    assert len(photos_in(home)) == 1


@pytest.mark.django_db
def test_a_file_is_taken_only_once_it_has_settled_and_an_empty_one_waits_longer(tmp_path):
    from picdesk.ops.hotfolder import HotFolder

    folder = HotFolder(tmp_path, settle=2)
    (tmp_path / "a.jpg").write_bytes(agency_jpeg("Settled."))
    (tmp_path / "empty.jpg").write_bytes(b"")
    assert folder.sweep(now=0) == []  # first seen
    assert folder.sweep(now=1) == []  # not settled yet
    assert [line.split(" (")[0] for line in folder.sweep(now=2)] == ["imported: a.jpg"]
    assert folder.sweep(now=19) == []  # the empty one: a placeholder, perhaps
    assert folder.sweep(now=20) == ["failed: empty.jpg: empty file (0 bytes)"]
    assert (tmp_path / "failed" / "empty.jpg.reason.txt").read_text() == "empty file (0 bytes)\n"
