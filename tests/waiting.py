"""The one way a test waits: for a condition, never for a time.

``wait_for(condition, what)`` polls until ``condition()`` returns something
true and returns it; after ``timeout`` seconds (generous: these machines are
shared and sometimes slow) the test fails saying what never happened. A
fixed sleep that decides a result passes without testing on a slow machine
or fails on a busy one; this waits exactly as long as the machine needs.
"""

from __future__ import annotations

import socket
import time

import pytest

TIMEOUT = 120


def wait_for(condition, what: str, timeout: float = TIMEOUT, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout:.0f} s: {what}")
        time.sleep(every)
    return value


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_for_port(port: int, timeout: float = TIMEOUT) -> None:
    wait_for(lambda: port_open(port), f"nothing ever listened on port {port}", timeout)
