"""README's first command, as a newcomer uses it: `picdesk demo` on a fresh
home, then the desk it serves. It used to build the demo with libvips in the
serving process and fork the web processes from it: every image made on
demand and every desk upload then waited for ever on libvips threads that
did not survive the fork, and Ctrl-C could not stop the server."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_for
from tests.factories import agency_jpeg
from tests.test_cli import free_port, picdesk_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWER_SECONDS = 60  # a crop takes well under a second here: a minute only ever means "hung"


class Demo:
    """A ``picdesk demo`` process on a fresh home, and what it printed."""

    def __init__(self, home: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "picdesk", "--home", str(home), "demo", "--port", str(self.port)],
            env=picdesk_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for_line(self, starting: str, timeout: float = 180) -> list[str]:
        """Every line up to and including the first that starts with ``starting``."""
        seen, deadline = [], time.monotonic() + timeout
        while not seen or not seen[-1].startswith(starting):
            try:
                seen.append(self.lines.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                pytest.fail(f"picdesk demo printed no line starting {starting!r}; it printed {seen}")
        return seen

    def descendants(self) -> set[int]:
        """The server's process and every process below it."""
        found, todo = set(), [self.process.pid]
        while todo:
            pid = todo.pop()
            found.add(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                todo.extend(int(child) for child in task.read_text().split())
        return found


@pytest.fixture
def demo(tmp_path):
    running = Demo(tmp_path / "home")
    yield running
    if running.process.poll() is None:
        os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait(timeout=30)


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=ANSWER_SECONDS) as response:
        return response.status, response.headers["Content-Type"], response.read()


def test_a_fresh_demo_makes_crops_takes_uploads_and_stops_on_ctrl_c(demo, browser, tmp_path):
    printed = "".join(demo.wait_for_line("open http://"))
    password = re.search(r"sign in as demo-editor with password (\S+)", printed).group(1)

    # Crops for the home's cards and the rails exist nowhere yet: each is made on demand.
    _, _, home = fetch(demo.url + "/")
    crops = sorted(set(re.findall(r'src="(/media/r/[^"]+/16x9-[0-9a-f]{8}/\d+\.jpg)"', home.decode())))
    assert len(crops) >= 3
    for crop in crops[:3]:
        status, content_type, body = fetch(demo.url + crop)
        assert (status, content_type, body[:2]) == (200, "image/jpeg", b"\xff\xd8")

    files = []
    for n in range(1, 5):
        files.append(tmp_path / f"arrival-{n}.jpg")
        files[-1].write_bytes(agency_jpeg(f"Arrival number {n}.", headline=f"Arrival {n}", width=900, height=600))
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(demo.url + "/desk/")
    page.get_by_label("User name").fill("demo-editor")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo.url + "/desk/")
    page.goto(demo.url + "/desk/upload/")
    page.set_input_files("#files", [str(f) for f in files])
    page.wait_for_selector("#overall-text:has-text('Done:')", timeout=ANSWER_SECONDS * 1000)
    assert page.inner_text("#overall-text").startswith("Done: 4 added")
    page.context.close()

    processes = demo.descendants()
    assert len(processes) >= 4  # the server, its web processes and its workers
    os.killpg(demo.process.pid, signal.SIGINT)  # Ctrl-C at a terminal reaches its process group
    assert demo.process.wait(timeout=60) == 0

    def running():
        return {pid for pid in processes if Path(f"/proc/{pid}").exists()
                and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]}

    wait_for(lambda: not running(), "processes were left running after Ctrl-C", 30)
