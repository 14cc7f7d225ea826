"""Background work on a real broker (PICDESK_BROKER_URL: the machine's Redis)
with real `picdesk worker` processes: two workers never make one photo's
renditions at once, a scheduled publication happens exactly once with three
workers running, failed tasks come back with backoff, urgent work first."""

import signal
import subprocess
import sys
import time

import pytest
from redis import Redis
from rq import Queue, Worker

from tests.waiting import wait_for
from tests.factories import agency_jpeg
from tests.test_cli import picdesk, picdesk_env

SCHEDULED = 20

QUEUE_AND_RESULTS = """
import django_rq
from rq.job import Job
done = []
for name in ("renditions", "renditions-later", "default"):
    queue = django_rq.get_queue(name)
    for job_id in queue.finished_job_registry.get_job_ids():
        job = Job.fetch(job_id, connection=queue.connection)
        done.append(f"{name}/{job.func_name.rsplit('.', 1)[-1]}/{job.return_value()}")
print(" ".join(sorted(done)))
"""


@pytest.fixture
def broker(redis_url, monkeypatch):
    """Every `picdesk` command of the test on the broker."""
    monkeypatch.setenv("PICDESK_BROKER_URL", redis_url)
    return Redis.from_url(redis_url)


def shell(home, code: str) -> str:
    result = picdesk(home, "manage", "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def launch_workers(home, count: int) -> list[subprocess.Popen]:
    """Workers whose log each goes to a file in ``home``, read back when one
    does not stop."""
    workers = []
    for n in range(count):
        with open(home / f"worker-{n}.log", "wb") as log:
            workers.append(subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "worker"],
                                            env=picdesk_env(), stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True))
        workers[-1].log_path = home / f"worker-{n}.log"
    return workers


def start_workers(home, count: int, redis: Redis) -> list[subprocess.Popen]:
    workers = launch_workers(home, count)
    wait_for(lambda: Worker.count(connection=redis) >= count, "the workers never started")
    return workers


def stop(workers) -> None:
    """SIGTERM each worker and wait for it; one still running after 60 s is
    asked for its stacks (SIGUSR1) and the test fails with its log."""
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.send_signal(signal.SIGUSR1)
            stacks = lambda: "most recent call first" in worker.log_path.read_text(errors="replace")  # noqa: E731
            try:
                wait_for(stacks, "the worker never printed its stacks", timeout=10)
            except pytest.fail.Exception:
                pass  # the log says what it says: the failure below shows it
            worker.kill()
            worker.wait()
            log = worker.log_path.read_text(errors="replace")
            pytest.fail(f"a worker did not stop within 60 s of SIGTERM; its log:\n{log[-8000:]}")


def finished(home, queue: str) -> list[str]:
    """The tasks finished on ``queue``: ``function/returned`` each, sorted."""
    entries = shell(home, QUEUE_AND_RESULTS).split()
    return sorted(e.split("/", 1)[1] for e in entries if e.startswith(queue + "/"))


def test_two_workers_never_make_the_same_renditions(tmp_path, broker):
    photo = tmp_path / "big.jpg"
    photo.write_bytes(agency_jpeg("One photo, queued twice.", width=6000, height=4000))
    migrated = picdesk(tmp_path / "home", "manage", "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    home = tmp_path / "home"
    workers = start_workers(home, 2, broker)
    try:
        # Ingest queues the photo's renditions; a second, identical task is
        # queued straight after (as a restart's recovery step would): both
        # workers take one at the same moment.
        shell(home, f"""
from pathlib import Path
from picdesk.photos.ingest import ingest_file
from picdesk.photos.tasks import make_photo_renditions
photo = ingest_file(Path({str(photo)!r}), render=False).photo
make_photo_renditions.enqueue(photo.pk)
""")
        results = wait_for(lambda: len(r := finished(home, "renditions")) == 2 and r, "both tasks never finished", every=0.2)
    finally:
        stop(workers)
    made = [int(entry.rsplit("/", 1)[1]) for entry in results]
    jpegs = int(shell(home, "from picdesk.photos.models import Rendition; "
                            "print(Rendition.objects.filter(format='jpeg').count())"))
    assert jpegs == 5
    assert sorted(made) == [0, jpegs], results  # one worker made them all, the other none
    files = sorted(p.name for p in (home / "media" / "renditions").rglob("*.jpg"))
    assert files == ["1024.jpg", "1600.jpg", "2048.jpg", "320.jpg", "640.jpg"]


def test_a_scheduled_publication_happens_exactly_once_with_three_workers(tmp_path, broker):
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Under embargo."))
    assert picdesk(home, "import", str(photo), "--slideshow", "Embargoed 0").returncode == 0
    workers = start_workers(home, 3, broker)
    try:
        # Twenty slideshows scheduled for the same second: twenty publication
        # tasks come due at once, and three workers take them together.
        shell(home, f"""
import datetime as dt
from django.utils import timezone
from picdesk.photos.models import Photo
from picdesk.slideshows.publishing import create_slideshow, publish
from picdesk.slideshows.models import Slideshow
due = timezone.now() + dt.timedelta(seconds=3)
publish(Slideshow.objects.get(), due)
for n in range(1, {SCHEDULED}):
    create_slideshow(f"Embargoed {{n}}", list(Photo.objects.all()), published_at=due, publish=True)
""")
        statuses = ("from picdesk.slideshows.models import Slideshow; "
                    "print(sorted(set(Slideshow.objects.values_list('status', flat=True))))")
        assert shell(home, statuses) == "['scheduled']"
        wait_for(lambda: shell(home, statuses) == "['published']", "the publications never happened", every=0.2)
        results = wait_for(lambda: len(r := finished(home, "default")) == SCHEDULED and r, "not every task finished", every=0.2)
    finally:
        stop(workers)
    assert sum(int(entry.rsplit("/", 1)[1]) for entry in results) == SCHEDULED, results
    entries = shell(home, "from picdesk.audit.models import AuditEntry; "
                          "print(AuditEntry.objects.filter(action='published (scheduled)').count())")
    assert entries == str(SCHEDULED)


def test_urgent_work_first_and_failures_retried_with_backoff(tmp_path, broker):
    """JPEGs on the renditions queue, WebP/AVIF on its later twin, which
    workers take only once the urgent queues are empty; a task that fails
    (here: an original gone from storage) is scheduled again, 5 s later."""
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Lost original."))
    assert picdesk(home, "manage", "migrate", "-v0").returncode == 0
    ids = shell(home, f"""
from pathlib import Path
from django.core.files.storage import default_storage
from picdesk.photos.ingest import ingest_file
from picdesk.photos.tasks import make_photo_modern_formats
photo = ingest_file(Path({str(photo)!r}), render=False).photo
default_storage.delete(photo.original)
print(make_photo_modern_formats.enqueue(photo.pk).id)
""")
    later_id = ids
    urgent_ids = Queue("renditions", connection=broker).job_ids
    assert len(urgent_ids) == 1 and Queue("renditions-later", connection=broker).job_ids == [later_id]
    assert Worker(["renditions", "renditions-later"], connection=broker)  # the order `picdesk worker` takes

    before = time.time()
    ran = subprocess.run([sys.executable, "-m", "picdesk", "--home", str(home), "worker", "--until-empty"],
                         env=picdesk_env(), capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    job = Queue("renditions", connection=broker).fetch_job(urgent_ids[0])
    assert job.get_status() == "scheduled" and job.retries_left == 2
    due = Queue("renditions", connection=broker).scheduled_job_registry.get_scheduled_time(job)
    assert 4 <= due.timestamp() - before <= 5 + (time.time() - before)


def test_an_import_can_leave_its_rendering_to_the_workers(tmp_path, broker):
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Rendered elsewhere.", width=1200, height=800))
    imported = picdesk(home, "import", str(photo), "--slideshow", "Handed over", "--to-workers")
    assert imported.returncode == 0, imported.stderr
    count = "from picdesk.photos.models import Rendition; print(Rendition.objects.count())"
    assert shell(home, count) == "0" and len(Queue("renditions", connection=broker).job_ids) == 1
    ran = subprocess.run([sys.executable, "-m", "picdesk", "--home", str(home), "worker", "--until-empty"],
                         env=picdesk_env(), capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert int(shell(home, count)) == 12  # 320, 640, 1024 and 1200 px in JPEG, WebP and AVIF


@pytest.mark.slow
def test_a_killed_workers_job_is_taken_up_within_a_minute(tmp_path, broker):
    """Two workers; SIGKILL the one in the middle of a job. The other, already
    running, retries it once the dead one stops beating (core.queues): well
    under RQ's own job timeout plus ten minutes."""
    import os
    import secrets
    import signal
    import time

    from rq.job import Job
    from rq.registry import StartedJobRegistry

    photo = tmp_path / "big.jpg"
    # Bytes no earlier test (or run, on a kept database) imported: never a duplicate already rendered.
    photo.write_bytes(agency_jpeg(f"Rendered by the second worker ({secrets.token_hex(8)}).", width=8000, height=6000))
    home = tmp_path / "home"
    assert picdesk(home, "manage", "migrate", "-v0").returncode == 0
    # Queued before the workers start, so this test is watching when one takes it
    # (a `picdesk manage shell` on a loaded machine starts slower than the job runs).
    # On PostgreSQL every test's home shares the one test database: count this photo's renditions only.
    pk = shell(home, f"""
from pathlib import Path
from picdesk.photos.ingest import ingest_file
pk = ingest_file(Path({str(photo)!r}), render=False).photo.pk  # which queues its renditions
print(pk)
""")
    workers = launch_workers(home, 2)
    try:
        started = StartedJobRegistry("renditions", connection=broker)
        job_id = wait_for(lambda: started.get_job_ids(), "no worker ever started the job", every=0.02)[0]
        wait_for(lambda: Worker.count(connection=broker) >= 2, "the second worker never started")
        holder = Job.fetch(job_id, connection=broker).worker_name
        (busy,) = [w for w in Worker.all(connection=broker) if w.name == holder]
        os.killpg(busy.pid, signal.SIGKILL)
        killed = time.monotonic()
        [w.wait() for w in workers if w.pid == busy.pid]  # reaped, as systemd would: not a zombie
        jpegs = ("from picdesk.photos.models import Rendition; "
                 f"print(Rendition.objects.filter(format='jpeg', photo_id={pk}).count())")
        assert int(shell(home, jpegs)) < 5, "the job ended before the kill: nothing to test"
        wait_for(lambda: int(shell(home, jpegs)) == 5, "the job of the killed worker was never taken up", every=1)
        took = time.monotonic() - killed
    finally:
        stop([w for w in workers if w.poll() is None])
    assert took < 75, f"taken up {took:.0f} s after the kill"


def test_a_stop_that_lands_in_the_sweep_still_stops_the_worker(broker):
    """SIGTERM arriving while the worker sweeps: RQ raises its stop into the
    sweep, which carries on past any error; the worker must stop all the same
    (it used to keep running, and `stop` above waited 60 s for it in CI)."""
    import signal

    from rq import Queue

    from picdesk.core.queues import HeartbeatWorker

    worker = HeartbeatWorker([Queue("sweep-stop", connection=broker)], connection=broker)
    worker.worker_ttl = 16  # an idle wait of 1 s between looks at the queue
    sweeps = []

    def sweep():
        sweeps.append(True)
        if len(sweeps) > 3:
            raise SystemExit("the worker kept running after its stop")
        try:
            worker.request_stop(signal.SIGTERM, None)  # as the signal does, landing here
        except Exception:  # as recovery.Sweep.now does with every error
            pass

    worker.sweep = sweep
    worker.maintenance_interval = 0
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.work(burst=False, with_scheduler=False)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert len(sweeps) == 1


def test_a_worker_leaves_its_command_channel_at_once(broker):
    """RQ's command thread waited up to 60 s for a message, and redis-py's
    stop() waits for that thread: in CI a worker's stop took a minute, seen
    in its stacks (`unsubscribe` joining the thread parked in `get_message`)."""
    from rq import Queue

    from picdesk.core.queues import HeartbeatWorker

    worker = HeartbeatWorker([Queue("leave-channel", connection=broker)], connection=broker)
    worker.subscribe()
    wait_for(lambda: worker.pubsub.subscribed, "the worker never subscribed to its channel")
    # As at a stop: the channel is left, and the thread has read the answer
    # and waits for a message before the worker asks it to end.
    worker.pubsub.unsubscribe()
    wait_for(lambda: not worker.pubsub.subscribed, "the channel was never left")
    started = time.monotonic()
    worker.unsubscribe()
    took = time.monotonic() - started
    assert not worker.pubsub_thread.is_alive()
    assert took < 10, f"leaving the channel took {took:.0f} s"
