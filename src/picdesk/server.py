"""Running picdesk on one machine: migrations, the web server and its workers.

``picdesk serve`` is the embedded default: waitress serves the site and a few
worker processes (one per CPU by default) make renditions from the database
queue. At scale the same pieces run apart: any WSGI server on
``picdesk.wsgi:application`` and ``picdesk worker`` wherever there is room.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

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


def start_workers(count: int) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "picdesk", "--home", str(settings.HOME), "worker"]
    # A session of their own: Ctrl-C in a terminal reaches only the server, which
    # then stops each worker once, letting it finish its task cleanly.
    return [
        subprocess.Popen(command, start_new_session=True, env=process_environment(count))
        for _ in range(count)
    ]


def run_worker() -> int:
    from django_tasks.signals import task_finished

    start_rendering()
    # After every task, not inside each: a worker's memory is the worker's business.
    task_finished.connect(lambda **kwargs: release_memory(), weak=False)
    call_command(
        "db_worker",
        queue_name="*",
        interval=0.5,
        reload=False,
        startup_delay=False,
        verbosity=1,
    )
    return 0


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def serve(host: str, port: int) -> int:
    import waitress

    migrate()
    collect_static()
    ensure_index()
    # Work a killed process left undone: the workers pick it up first thing.
    enqueue_missing_renditions()
    from picdesk.wsgi import application  # after collectstatic: WhiteNoise scans at start

    server = waitress.create_server(application, host=host, port=port, threads=8)
    workers = start_workers(setting("PICDESK_WORKERS"))
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # Printed once the socket is bound, so whoever waits for it can connect at once.
    print(f"picdesk is serving http://{host}:{port}/ (data in {settings.HOME}); Ctrl-C stops it", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return 0
