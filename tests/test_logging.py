"""Every 500 and every failed task is logged with its traceback, as text or
as JSON lines (PICDESK_LOG_FORMAT), on standard error of the process that
met it."""

import json
import subprocess
import sys

from tests.conftest import DEMO_PHOTOS
from tests.test_cli import free_port, get, picdesk, picdesk_env


def test_a_500_is_logged_with_its_traceback_as_json_lines(tmp_path):
    home = tmp_path / "home"
    photo = next(DEMO_PHOTOS.glob("*.jpg"))
    assert picdesk(home, "import", str(photo), "--slideshow", "Logged", "--publish").returncode == 0
    # Something breaks under the site: its photos' table goes (a failed migration, a bad restore).
    picdesk(home, "manage", "shell", "-c", "from django.db import connection; "
            "connection.cursor().execute('ALTER TABLE slideshows_slide RENAME TO slideshows_gone')")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
        env=picdesk_env(PICDESK_WORKERS="0", PICDESK_LOG_FORMAT="json"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert f"serving http://127.0.0.1:{port}/" in server.stdout.readline()
        assert get(f"http://127.0.0.1:{port}/pictures/logged/")[0] == 500
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["logger"] == "django.request" and line["level"] == "ERROR"]
    assert errors and "slideshows_slide" in errors[0]["traceback"], output


def test_a_failed_task_is_logged_with_its_traceback(tmp_path):
    home = tmp_path / "home"
    photo = next(DEMO_PHOTOS.glob("*.jpg"))
    assert picdesk(home, "import", str(photo), "--slideshow", "Logged", "--to-workers").returncode == 0
    picdesk(home, "manage", "shell", "-c", "from django.core.files.storage import default_storage; "
            "from picdesk.photos.models import Photo; default_storage.delete(Photo.objects.get().original)")
    worker = subprocess.run([sys.executable, "-m", "picdesk", "--home", str(home), "worker", "--until-empty"],
                            capture_output=True, text=True, timeout=120, env=picdesk_env())
    assert "ERROR django_tasks" in worker.stderr and "Traceback" in worker.stderr, worker.stderr
    assert "OriginalMissing" in worker.stderr and "is missing" in worker.stderr
    assert "state=SUCCESSFUL" not in worker.stderr  # the line per task only with --verbose
