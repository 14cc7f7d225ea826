"""Kill -9 in the middle of an import of 200 photos, then recover: every photo
is either wholly there or absent, `picdesk check --repair` tidies up, and
importing again finishes the job. And kill -9 the worker in the middle of its
rendition work: after a restart the renditions are all made."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import psycopg

from tests.factories import agency_jpeg
from tests.operator_db import query_home
from tests.test_cli import free_port, picdesk_env

PHOTOS = 200


def picdesk(home, *args, **kwargs):
    return [sys.executable, "-m", "picdesk", "--home", str(home), *args]


def photo_count(home) -> int:
    try:
        return query_home(home, "SELECT count(*) FROM photos_photo")[0][0]
    except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
        return 0  # not migrated yet


def test_import_killed_midway_recovers(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(PHOTOS):
        (folder / f"{n:03}.jpg").write_bytes(agency_jpeg(f"Photo {n}.", width=900, height=600))
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


INGEST = """
from pathlib import Path
from picdesk.photos.ingest import ingest_file
for path in sorted(Path({folder!r}).glob("*.jpg")):
    ingest_file(path)
"""


def rendered_photos(home) -> int:
    return query_home(home, "SELECT count(DISTINCT photo_id) FROM photos_rendition")[0][0]


def test_worker_killed_mid_rendition_recovers(tmp_path):
    """Photos whose renditions the worker had not finished get them after a
    restart, with no half-written file left behind."""
    folder, home = tmp_path / "incoming", tmp_path / "home"
    folder.mkdir()
    for n in range(40):
        (folder / f"{n:03}.jpg").write_bytes(agency_jpeg(f"Photo {n}.", width=1600, height=1200))
    env = picdesk_env(PICDESK_RENDITION_WIDTHS="320,640,1024,1600")
    # Ingest without rendering, as uploads do: the renditions are queued for the worker.
    subprocess.run(picdesk(home, "manage", "migrate", "-v0"), env=env, check=True, timeout=120)
    queued = subprocess.run(picdesk(home, "manage", "shell", "-c", INGEST.format(folder=str(folder))),
                            env=env, capture_output=True, text=True, timeout=300)
    assert queued.returncode == 0, queued.stderr
    worker = subprocess.Popen(picdesk(home, "worker"), env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while rendered_photos(home) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    done = rendered_photos(home)
    assert 3 <= done < 40, f"the kill came too late to test anything ({done} rendered)"

    # `picdesk serve` queues what a killed worker left undone; its worker finishes it.
    server = subprocess.Popen(picdesk(home, "serve", "--port", str(free_port())),
                              env={**env, "PICDESK_WORKERS": "1"}, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        report = ""
        while time.monotonic() < deadline:
            result = subprocess.run(picdesk(home, "check"), env=env, capture_output=True, text=True, timeout=120)
            report = result.stdout
            if result.returncode == 0:
                break
            time.sleep(2)
        assert "40 photos" in report and "lacks" not in report and "no row" not in report, report
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
