"""A crowd asking for an image nobody has made yet gets one render, and the
web processes give the memory back (photos.on_demand)."""

import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.factories import wire_sized_jpeg
from tests.test_cli import _page_with_webp, _wait_for, free_port, picdesk, picdesk_env, picdesk_shell

pytestmark = pytest.mark.slow  # a server under a stampede of requests: a minute or more


def resident_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def web_processes(server: int) -> list[int]:
    """granian's processes: the children of the server's process (the
    workers have sessions of their own)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        session_leader = int(fields[3]) == int(stat.parent.name)
        if int(fields[1]) == server and not session_leader:
            children.append(int(stat.parent.name))
    return children


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_twelve_readers_asking_for_one_new_crop_cause_one_render(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "wire.jpg").write_bytes(wire_sized_jpeg())
    imported = picdesk(home, "import", str(tmp_path / "wire.jpg"), "--slideshow", "Crowd", "--publish")
    assert imported.returncode == 0, imported.stderr
    key = picdesk(home, "manage", "shell", "-c", "from picdesk.photos.models import Photo; "
                  "print(Photo.objects.get().public_key)").stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
        env=picdesk_env(PICDESK_WORKERS="1", PICDESK_WEB_PROCESSES="2", PICDESK_SERVER_THREADS="6"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert f"serving {base}/" in server.stdout.readline()
        # The worker has made what it makes (the focus crops keep, WebP and
        # AVIF): what is left for readers to ask for first are crops.
        _wait_for(lambda: _page_with_webp(f"{base}/pictures/crowd/", photos=1))
        for _ in range(8):  # every web process has served a page and an image
            assert fetch(f"{base}/pictures/crowd/")[0] == 200
            assert fetch(f"{base}/media/r/{key}/320.jpg")[0] == 200
        cropped = picdesk_shell(home, "from picdesk.photos.models import Photo; "
                                "from picdesk.photos.storage_names import rendition_url; "
                                "print(rendition_url(Photo.objects.get(), 1600, 'jpeg', '16x9'))")
        idle = sum(resident_kb(pid) for pid in web_processes(server.pid))
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(fetch, [base + cropped] * 12))
        after = sum(resident_kb(pid) for pid in web_processes(server.pid))
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1
    assert output.count("16x9 1600w jpeg made for a reader") == 1, output
    assert after < 1.5 * idle, f"web processes held {after} kB after the burst, {idle} kB idle"
