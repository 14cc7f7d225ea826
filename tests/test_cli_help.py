"""What the `picdesk` command says about itself, and the account commands."""

import subprocess
import sys

from tests.waiting import wait_for
from tests.conftest import DESK_PASSWORD
from tests.test_cli import picdesk, picdesk_env


def help_of(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "picdesk", *args, "--help"], capture_output=True,
                            text=True, env=picdesk_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_help_names_defaults_roles_and_what_restore_does():
    serve = help_of("serve")
    assert "(default: 127.0.0.1)" in serve and "(default: 8000)" in serve
    assert "SHA-256" in help_of("restore") and "ARCHIVE" in help_of("restore")
    user = " ".join(help_of("createuser").split())
    assert "read as one line from standard input" in user
    for duty in ("contributor uploads photos", "editor also builds", "admin also manages users"):
        assert duty in user


def test_home_after_the_command_says_where_it_goes(tmp_path):
    result = subprocess.run([sys.executable, "-m", "picdesk", "import", "--home", str(tmp_path), "x.jpg",
                             "--slideshow", "X"], capture_output=True, text=True, env=picdesk_env(), timeout=60)
    assert result.returncode == 2
    assert f"--home goes before the command: picdesk --home {tmp_path} import" in result.stderr


def test_manage_help_leaves_the_home_untouched(tmp_path):
    home = tmp_path / "home"
    assert picdesk(home, "manage", "help").returncode == 0
    assert not home.exists()  # no secret key, no database: help only reads


def test_setpassword_gives_a_lost_account_a_new_password(tmp_path):
    home = tmp_path / "home"
    assert picdesk(home, "createuser", "ana", "--role", "editor", stdin=DESK_PASSWORD + "\n").returncode == 0
    new = "another-long-desk-password-7"
    result = picdesk(home, "setpassword", "ana", stdin=new + "\n")
    assert result.returncode == 0 and "new password" in result.stdout
    check = picdesk(home, "manage", "shell", "-c",
                    f"from django.contrib.auth import authenticate; print(bool(authenticate(username='ana', password='{new}')))")
    assert check.stdout.strip().splitlines()[-1] == "True"
    missing = picdesk(home, "setpassword", "nobody", stdin=new + "\n")
    assert missing.returncode == 2 and "no desk account is named 'nobody'" in missing.stderr


def test_a_log_line_is_printed_once_when_a_root_handler_exists_too(tmp_path):
    """The worker's own logging setup adds a root handler (db_worker does);
    picdesk's lines ("photo 3: made 8 renditions") came out twice."""
    result = picdesk(tmp_path / "home", "manage", "shell", "-c",
                     "import logging; logging.basicConfig(); "
                     "logging.getLogger('picdesk.photos.renditions').info('photo 1: made 8 renditions')")
    assert result.stderr.count("photo 1: made 8 renditions") == 1, result.stderr


def test_the_demo_prints_its_account_and_address_last_and_the_workers_stay_quiet(tmp_path):
    from tests.test_cli import free_port

    port = free_port()
    demo = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(tmp_path / "home"), "demo",
                             "--port", str(port)], env=picdesk_env(PICDESK_WORKERS="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    try:
        while not (lines and lines[-1].startswith("open http://")):
            lines.append(demo.stdout.readline().rstrip("\n"))
        # The worker renders the demo's photos meanwhile: wait until it has done them all.
        wait_for(lambda: _queue_done(tmp_path / "home"), "the worker never finished the demo's tasks", every=1)
    finally:
        demo.terminate()
        rest, _ = demo.communicate(timeout=60)
    assert lines[0].startswith(f"picdesk is serving http://127.0.0.1:{port}/")
    assert "with password" in lines[-3] and "setpassword demo-editor" in lines[-2]
    assert lines[-1] == f"open http://127.0.0.1:{port}/ (the desk at /desk/)"
    assert "Task id=" not in rest and "made" not in rest, rest[:500]


QUEUE_DONE = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count() == 0
      and DBTaskResult.objects.filter(status="SUCCESSFUL").exists())
"""


def _queue_done(home) -> bool:
    result = picdesk(home, "manage", "shell", "-c", QUEUE_DONE)
    return result.returncode == 0 and result.stdout.strip().endswith("True")
