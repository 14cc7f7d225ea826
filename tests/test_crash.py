"""Kill -9 in the middle of an import, then recover: every photo is either
wholly there or absent, `picdesk check --repair` tidies up, and importing
again finishes the job."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.factories import agency_jpeg
from tests.test_cli import picdesk_env

PHOTOS = 60


def picdesk(home, *args, **kwargs):
    return [sys.executable, "-m", "picdesk", "--home", str(home), *args]


def photo_count(home) -> int:
    try:
        with sqlite3.connect(home / "picdesk.sqlite3", timeout=5) as db:
            return db.execute("SELECT count(*) FROM photos_photo").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not migrated yet


def test_import_killed_midway_recovers(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(PHOTOS):
        (folder / f"{n:03}.jpg").write_bytes(agency_jpeg(f"Photo {n}.", width=1200, height=800))
    home = tmp_path / "home"
    env = picdesk_env()
    importing = subprocess.Popen(
        picdesk(home, "import", str(folder), "--slideshow", "Big day", "--publish"),
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while photo_count(home) < 5 and time.monotonic() < deadline and importing.poll() is None:
        time.sleep(0.05)
    os.killpg(importing.pid, signal.SIGKILL)  # the import and its render processes
    importing.wait()
    done = photo_count(home)
    assert 5 <= done < PHOTOS, f"the kill came too late to test anything ({done} imported)"

    first = subprocess.run(picdesk(home, "check", "--repair"), env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "original missing or altered" not in first.stdout  # no half-written original has a row
    after = subprocess.run(picdesk(home, "check"), env=env, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0 and "lacks" not in after.stdout, after.stdout

    again = subprocess.run(picdesk(home, "import", str(folder), "--slideshow", "Big day", "--publish"),
                           env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"imported {PHOTOS} photos" in again.stdout
    assert again.stdout.count("already imported") == done
    final = subprocess.run(picdesk(home, "check"), env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0 and f"{PHOTOS} photos" in final.stdout, final.stdout
