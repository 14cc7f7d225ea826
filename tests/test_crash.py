"""Kill -9 in the middle of an import of 200 photos, then recover: every photo
is either wholly there or absent, `picdesk check --repair` tidies up, and
importing again finishes the job. Kill -9 the worker in the middle of its
rendition work: after a restart the renditions are all made, and a task it
left running is taken up by the workers still running. Kill -9 `picdesk
import` or `picdesk serve` alone: none of their processes outlive them."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg

import pytest

from tests.waiting import wait_for
from tests.factories import agency_jpeg
from tests.operator_db import query_home
from tests.test_cli import free_port, picdesk_env

pytestmark = pytest.mark.slow  # processes killed and started again: minutes

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
    wait_for(lambda: photo_count(home) >= 5 or importing.poll() is not None, "the import never stored 5 photos")
    os.killpg(importing.pid, signal.SIGKILL)  # the import and its render processes
    importing.wait()
    done = photo_count(home)
    assert 5 <= done < PHOTOS, f"the kill came too late to test anything ({done} imported)"

    first = subprocess.run(picdesk(home, "check", "--repair"), env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "original missing" not in first.stdout and "original altered" not in first.stdout  # none half-written
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
    # The processes' logs stay in the test's folder: what a failure on a busy machine needs.
    worker = subprocess.Popen(picdesk(home, "worker", "--verbose"), env=env, start_new_session=True,
                              stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT)
    wait_for(lambda: rendered_photos(home) >= 3, "the worker never rendered 3 photos")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    done = rendered_photos(home)
    assert 3 <= done < 40, f"the kill came too late to test anything ({done} rendered)"

    # `picdesk serve` queues what a killed worker left undone; its worker finishes it.
    server = subprocess.Popen(picdesk(home, "serve", "--verbose", "--port", str(free_port())),
                              env={**env, "PICDESK_WORKERS": "1"}, start_new_session=True,
                              stdout=open(tmp_path / "serve.log", "w"), stderr=subprocess.STDOUT)
    try:
        def clean_report():
            result = subprocess.run(picdesk(home, "check"), env=env, capture_output=True, text=True, timeout=120)
            return result.returncode == 0 and result.stdout

        report = wait_for(clean_report, "`picdesk check` never found the home clean", 240, every=1)
        assert "40 photos" in report and "lacks" not in report and "no row" not in report, report
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def children_of(pid: int) -> set[int]:
    """Every process below ``pid``, now."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits for its parent


def assert_none_outlive(process: subprocess.Popen, expected: int) -> None:
    """SIGKILL ``process`` alone, once it has ``expected`` processes below it."""
    below = wait_for(lambda: (c := children_of(process.pid)) and len(c) >= expected and c,
                     f"fewer than {expected} processes ever ran below it")
    os.kill(process.pid, signal.SIGKILL)  # the parent alone: its children are on their own now
    process.wait()
    wait_for(lambda: not any(alive(pid) for pid in below),
             f"still running after their parent was killed: {[pid for pid in below if alive(pid)]}", 30)


def test_a_killed_import_leaves_no_process_behind(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(60):
        (folder / f"{n:03}.jpg").write_bytes(agency_jpeg(f"Photo {n}.", width=1600, height=1200))
    importing = subprocess.Popen(picdesk(tmp_path / "home", "import", str(folder), "--slideshow", "Orphans"),
                                 env=picdesk_env(PICDESK_WORKERS="2"), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    assert_none_outlive(importing, expected=2)


def test_a_killed_server_leaves_no_web_process_or_worker_behind(tmp_path):
    server = subprocess.Popen(picdesk(tmp_path / "home", "serve", "--port", str(free_port())),
                              env=picdesk_env(PICDESK_WORKERS="2", PICDESK_WEB_PROCESSES="2"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert "serving" in server.stdout.readline()
    assert_none_outlive(server, expected=4)


LEFT_RUNNING = """
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django.utils import timezone
from picdesk.photos.models import Photo
from picdesk.photos.tasks import make_photo_renditions
with transaction.atomic():  # as a worker killed in the middle of it leaves it
    task = make_photo_renditions.enqueue(Photo.objects.get().pk)
    DBTaskResult.objects.filter(id=task.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[{dead!r}])
"""


@pytest.fixture
def worker_after_one_render(tmp_path):
    """A worker on the database queue, running, and a photo it rendered whose
    renditions are gone again: (home, env)."""
    home = tmp_path / "home"
    (tmp_path / "one.jpg").write_bytes(agency_jpeg("One.", width=900, height=600))
    env = picdesk_env(PICDESK_SWEEP_SECONDS="2")
    imported = subprocess.run(picdesk(home, "import", str(tmp_path / "one.jpg"), "--slideshow", "Left",
                                      "--to-workers"), env=env, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    worker = subprocess.Popen(picdesk(home, "worker", "--verbose"), env=env, start_new_session=True,
                              stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: rendered_photos(home) == 1, "the worker never rendered the photo")
        subprocess.run(picdesk(home, "manage", "shell", "-c", "from picdesk.photos.models import Rendition; "
                               "Rendition.objects.all().delete()"), env=env, check=True, timeout=60)
        yield home, env
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def test_a_task_left_running_by_a_dead_worker_is_taken_up_without_a_restart(worker_after_one_render):
    home, env = worker_after_one_render
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = f"{socket.gethostname()[:40]}:{gone.pid}"
    subprocess.run(picdesk(home, "manage", "shell", "-c", LEFT_RUNNING.format(dead=dead)), env=env,
                   check=True, timeout=60)
    wait_for(lambda: rendered_photos(home) == 1, "the task left running was never taken up")


ELSEWHERE = "a-worker-on-another-machine:4242"
LAST_BEAT = """
from datetime import timedelta
from django.utils import timezone
from picdesk.ops.beats import WorkerBeat
WorkerBeat.objects.update_or_create(worker={worker!r}, defaults={{"beat_at": timezone.now() - timedelta(seconds={age})}})
"""


def beats_of_others(home) -> int:
    """How many sweeps the workers here have made (each beat moves the time on)."""
    return query_home(home, f"SELECT max(beat_at) FROM picdesk_workerbeat WHERE worker <> '{ELSEWHERE}'")[0][0]


def test_a_task_whose_worker_elsewhere_fell_silent_is_taken_up_within_a_minute(worker_after_one_render):
    """A worker on another machine cannot be asked whether it lives: its
    beats say so. Alive, its task is left to it; silent for a minute, the
    task runs here, long before PICDESK_TASK_LEASE (30 min)."""
    home, env = worker_after_one_render

    def shell(code):
        subprocess.run(picdesk(home, "manage", "shell", "-c", code), env=env, check=True, timeout=60)

    shell(LAST_BEAT.format(worker=ELSEWHERE, age=0))
    shell(LEFT_RUNNING.format(dead=ELSEWHERE))
    for sweep in range(2):  # a whole sweep has looked at the task once the second begins
        before = beats_of_others(home)
        wait_for(lambda: beats_of_others(home) != before, "the worker here never swept")
    assert rendered_photos(home) == 0, "a task whose worker elsewhere still beats was run twice"

    shell(LAST_BEAT.format(worker=ELSEWHERE, age=60))
    wait_for(lambda: rendered_photos(home) == 1, "the task of a silent worker elsewhere was never taken up", 60)
