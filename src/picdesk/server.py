"""Running picdesk on one machine: migrations, the web server and its workers.

``picdesk serve`` is the embedded default: waitress serves the site and a few
worker processes (one per CPU by default) make renditions from the database
queue. At scale the same pieces run apart: any WSGI server on
``picdesk.wsgi:application`` and ``picdesk worker`` wherever there is room.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from typing import Callable

from django.conf import settings
from django.core.management import call_command

from picdesk.batch import process_environment, release_memory, start_rendering
from picdesk.config import setting
from picdesk.photos.integrity import enqueue_missing_renditions
from picdesk.reader.search import ensure_index


def migrate() -> None:
    """Bring the database up to date; a new home gets its tables here."""
    call_command("migrate", interactive=False, verbosity=0)


def collect_static() -> None:
    """Fingerprint and compress the CSS and JS into the home (quick when unchanged)."""
    call_command("collectstatic", interactive=False, verbosity=0)


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

    start_rendering()
    # After every task, not inside each: a worker's memory is the worker's business.
    task_finished.connect(release_after_task, dispatch_uid="picdesk-release-memory")
    if not verbose:
        logging.getLogger("picdesk").setLevel(logging.WARNING)
    if setting("PICDESK_BROKER_URL"):
        from picdesk.queues import run_worker as run_broker_worker

        run_broker_worker(batch=batch)
        return 0
    call_command(
        "db_worker",
        queue_name="*",
        interval=0 if batch else 0.5,
        batch=batch,
        reload=False,
        startup_delay=False,
        verbosity=1 if verbose else 0,
    )
    return 0


def release_after_task(**kwargs) -> None:
    release_memory()


def start_ftp(host: str):
    """The FTP server for cameras, in a thread of this process, where
    PICDESK_FTP_PORT asks for one; None otherwise."""
    port = setting("PICDESK_FTP_PORT")
    if port is None:
        return None
    from picdesk.ftp import make_server

    ftp = make_server(host, port)
    threading.Thread(target=ftp.serve_forever, kwargs={"handle_exit": False}, daemon=True).start()
    print(f"ftp server on {host}:{port}", flush=True)
    return ftp


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def prepare_home(then: Callable[[], list[str]] | None = None) -> list[str]:
    """Everything before serving: the database, static files, the search index,
    and the work a killed process left undone, queued for the workers. Then
    ``then`` (the demo's builder), whose own work ingest queues itself: after
    the recovery step, so nothing is queued twice. Returns what ``then`` says."""
    migrate()
    collect_static()
    ensure_index()
    enqueue_missing_renditions()
    return then() if then else []


def serve(host: str, port: int, *, verbose: bool = False, then: Callable[[], list[str]] | None = None) -> int:
    """Serve the site with its workers; ``then`` as ``prepare_home`` takes it,
    its lines printed after the address (nothing scrolls them away)."""
    import waitress

    then_say = prepare_home(then)
    from picdesk.wsgi import application  # after collectstatic: WhiteNoise scans at start

    server = waitress.create_server(application, host=host, port=port, threads=setting("PICDESK_SERVER_THREADS"))
    ftp = start_ftp(host)
    workers = start_workers(setting("PICDESK_WORKERS"), verbose)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # Printed once the socket is bound, so whoever waits for it can connect at once.
    print(f"picdesk is serving http://{host}:{port}/ (data in {settings.HOME}); Ctrl-C stops it", flush=True)
    for line in then_say:
        print(line, flush=True)
    if then_say:  # the address again, last, beside what was just said
        print(f"open http://{host}:{port}/ (the desk at /desk/)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if ftp:
            ftp.close_all()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return 0
