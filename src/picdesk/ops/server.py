"""Running picdesk on one machine: migrations, the web server and its workers.

``picdesk serve`` is the embedded default: granian serves the site from one
process per CPU, and as many worker processes make renditions from the queue
(the database's, or a broker's). At scale the same pieces run apart: granian
or any WSGI server on ``picdesk.wsgi:application`` and ``picdesk worker``
wherever there is room.

Why granian: on this project's 2-core machine it served a 25-photo slideshow
page from the page cache at 3,300 requests/s with p99 27 ms at 50 connections,
against 2,500 (p99 53 ms) for gunicorn's threaded workers and about 1,000
(p99 83 ms) for waitress, whose one process is bound by the GIL; it streams
request bodies (a 150 MB upload left its memory flat), which uploads need.

Why nothing is forked from the serving process: libvips keeps a pool of
threads, and a forked child inherits the pool's state but none of its
threads, so its first image operation waits for ever on a semaphore no thread
will post (seen with gdb: request threads blocked in ``vips_threadpool_run``
after ``picdesk demo`` had built the demo, then forked the web processes).
Locks held by any other thread at the fork (Redis and S3 clients, the
logging and stdout locks) hang the same way. So the home is prepared in a
child process of its own, and granian starts its web processes with
``spawn``: each begins as a fresh interpreter that imports ``picdesk.wsgi``.
"""

from __future__ import annotations

import fcntl
import hashlib
import faulthandler
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from picdesk.core.metrics import count_task
from picdesk.core.memory import process_environment, release_memory, start_child, start_rendering
from picdesk.core.processes import die_with_parent, this_process
from picdesk.ops.beats import beat
from picdesk.ops.recovery import Sweep, keep_sweeping, requeue_abandoned_tasks
from picdesk.core.config import setting
from picdesk.photos import near_copies
from picdesk.photos.tasks import index_near_copies, queue_missing_renditions
from picdesk.reader.search import ensure_index


def migrate() -> None:
    """Bring the database up to date at a command's start, unless the
    operator migrates apart (PICDESK_AUTO_MIGRATE=false); a new home gets
    its tables here."""
    if setting("PICDESK_AUTO_MIGRATE"):
        apply_migrations()


def apply_migrations(verbosity: int = 0) -> None:
    """``migrate``, by one process at a time: two web servers started together
    on a new database would otherwise both create the same rows (content
    types, permissions) and one would fail. The others wait, then find
    nothing left to do."""
    with migration_lock():
        call_command("migrate", interactive=False, verbosity=verbosity)


# Any number, the same in every picdesk process: the key of PostgreSQL's advisory lock.
MIGRATION_LOCK_KEY = 0x70696364  # "picd"


@contextmanager
def migration_lock():
    """PostgreSQL's advisory lock, held by this connection's session; on
    SQLite, whose processes share one machine, a lock on a file of the home."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
        return
    settings.HOME.mkdir(parents=True, exist_ok=True)
    with open(settings.HOME / ".migrate.lock", "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def collect_static() -> None:
    """Fingerprint and compress the CSS and JS into the home, unless what is
    there came from these very files: compressing them all again costs three
    seconds of every start."""
    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    sources = _static_sources_stamp()
    if stamp.is_file() and stamp.read_text() == sources:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources)


STATIC_STAMP = ".collected-from"


def _static_sources_stamp() -> str:
    """Every static source file's path, size and time of change, as one digest."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            stat = os.stat(storage.path(path))
            digest.update(f"{storage.path(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def start_workers(count: int, verbose: bool = False) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "picdesk", "--home", str(settings.HOME), "worker"]
    if verbose:
        command.append("--verbose")
    # A session of their own: Ctrl-C in a terminal reaches only the server, which
    # then stops each worker once, letting it finish its task cleanly.
    return [
        subprocess.Popen(command, start_new_session=True, env=process_environment(count))
        for _ in range(count)
    ]


def run_worker(verbose: bool = False, batch: bool = False) -> int:
    """Take tasks from the queue until stopped (or, with ``batch``, until none
    is left). Quiet unless ``verbose``: a line per task would bury what
    ``picdesk serve`` and ``picdesk demo`` print."""
    from django_tasks.signals import task_finished

    # `kill -USR1 PID` prints every thread's stack: what a stuck worker waits on.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    start_rendering()
    # After every task, not inside each: a worker's memory is the worker's business.
    task_finished.connect(release_after_task, dispatch_uid="picdesk-release-memory")
    task_finished.connect(count_task, dispatch_uid="picdesk-count-tasks")
    if not verbose:
        logging.getLogger("picdesk").setLevel(logging.WARNING)
    else:  # a line per task too, not only the failures settings.LOGGING lets through
        for name in ("django_tasks", "django_tasks_db"):
            logging.getLogger(name).handlers = [logging.getLogger("picdesk").handlers[0]]
    die_with_parent()  # where `picdesk serve` started it
    if setting("PICDESK_BROKER_URL"):
        from picdesk.core.queues import run_worker as run_broker_worker

        # No thread of ours: RQ forks its scheduler from this process.
        run_broker_worker(batch=batch, sweep=None if batch else Sweep(database_queue=False).now)
        return 0
    beat(this_process())  # before the first task: one that dies on it is then seen silent
    requeue_abandoned_tasks()
    stopped = threading.Event()
    if not batch:
        keep_sweeping(stopped)
    try:
        _run_db_worker(batch)
    finally:
        stopped.set()
    return 0


def _run_db_worker(batch: bool) -> None:
    call_command(
        "db_worker",
        worker_id=this_process(),  # which recovery can tell dead
        queue_name="*",
        interval=0 if batch else 0.5,
        batch=batch,
        reload=False,
        startup_delay=False,
        # 0 would silence failed tasks too; the log configuration keeps the
        # line per task out unless verbose (settings.LOGGING).
        verbosity=1,
    )


def release_after_task(**kwargs) -> None:
    release_memory()


def start_ftp(host: str):
    """The FTP server for cameras, in a thread of this process, where
    PICDESK_FTP_PORT asks for one; None otherwise."""
    port = setting("PICDESK_FTP_PORT")
    if port is None:
        return None
    from picdesk.ops.ftp import make_server

    ftp = make_server(host, port)
    threading.Thread(target=ftp.serve_forever, kwargs={"handle_exit": False}, daemon=True).start()
    print(f"ftp server on {host}:{port}", flush=True)
    return ftp


def prepare_home(then: Callable[[], list[str]] | None = None) -> list[str]:
    """Everything before serving: the database, static files, the search index,
    and a scan for the work a killed process left undone, queued for the
    workers (at a million photos it takes seconds the first answer need not
    wait). Then ``then`` (the demo's builder), whose own work ingest queues
    itself; the scan may queue some of it again, which costs a lookup (making
    renditions is idempotent). Returns what ``then`` says."""
    migrate()
    collect_static()
    ensure_index()
    queue_missing_renditions.enqueue()  # the workers scan, the server answers at once
    if near_copies.unindexed():
        index_near_copies.enqueue()
    return then() if then else []


def prepare_home_in_child(then: Callable[[], list[str]] | None = None) -> list[str]:
    """``prepare_home`` in a spawned process that ends with it, so the serving
    process never runs libvips nor opens a connection it would pass on (see
    the module's docstring). ``then`` must be importable by name. The child
    finds the home and the database where this process did: in the
    environment it inherits."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=start_child,
                             initargs=(process_environment(),)) as child:
        return child.submit(prepare_home, then).result()


def web_server(host: str, port: int, verbose: bool = False):
    """Granian on ``picdesk.wsgi``: PICDESK_WEB_PROCESSES processes, each
    answering PICDESK_SERVER_THREADS requests at once, each spawned (never
    forked: see the module's docstring)."""
    from granian import Granian
    from granian.constants import Interfaces

    # Granian starts its processes with multiprocessing's default method.
    multiprocessing.set_start_method("spawn", force=True)
    # What the spawned processes start with: two malloc arenas, not eight per
    # core (a rendition made for a reader would otherwise stay resident), and
    # the cores shared out among them.
    os.environ.update(process_environment(setting("PICDESK_WEB_PROCESSES")))
    return Granian(
        "picdesk.wsgi:application", address=host, port=port, interface=Interfaces.WSGI,
        workers=setting("PICDESK_WEB_PROCESSES"), blocking_threads=setting("PICDESK_SERVER_THREADS"),
        log_enabled=verbose, respawn_failed_workers=True,
        # A web process that gets Ctrl-C's SIGINT and then granian's SIGTERM in
        # quick succession sometimes never wakes (seen about 1 in 3 stops once
        # libvips had run in it): the stop is bounded instead of hanging.
        workers_kill_timeout=setting("PICDESK_STOP_SECONDS"),
    )


def serve(host: str, port: int, *, verbose: bool = False, then: Callable[[], list[str]] | None = None) -> int:
    """Serve the site with its workers; ``then`` as ``prepare_home`` takes it,
    its lines printed after the address (nothing scrolls them away). Granian
    stops on Ctrl-C or SIGTERM; the workers are stopped after it."""
    share_metrics()
    then_say = prepare_home_in_child(then)
    server = web_server(host, port, verbose)
    ftp = start_ftp(host)
    workers = start_workers(setting("PICDESK_WORKERS"), verbose)
    threading.Thread(target=_announce, args=(host, port, then_say), daemon=True).start()
    try:
        server.serve()
    finally:
        if ftp:
            ftp.close_all()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return 0


def share_metrics() -> None:
    """One folder for every process this server starts to write its counts to
    (prometheus-client's multiprocess mode: ``core.metrics``), emptied at
    each start; unless the operator names one in PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    folder = settings.HOME / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def _announce(host: str, port: int, then_say: list[str]) -> None:
    """Print the address once the server answers on it, so whoever waits for
    the line can connect at once; then what ``then`` had to say."""
    while True:
        try:
            socket.create_connection((host, port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    print(f"picdesk is serving http://{host}:{port}/ (data in {settings.HOME}); Ctrl-C stops it", flush=True)
    for line in then_say:
        print(line, flush=True)
    if then_say:  # the address again, last, beside what was just said
        print(f"open http://{host}:{port}/ (the desk at /desk/)", flush=True)
