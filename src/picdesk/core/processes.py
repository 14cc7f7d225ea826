"""Processes that end with the process that started them, and names for a
process that other processes can check: what lets a parent killed outright
(SIGKILL, the OOM killer) leave no orphan behind, and a task or lock held by
a dead process be taken over.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket

# Linux's prctl() option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1
PARENT = "PICDESK_PARENT"  # the pid of the process that started this one


def die_with_parent() -> None:
    """Be killed when the process that started this one dies, however it
    dies (where it said who it is, in PICDESK_PARENT). A parent already gone
    (between its start of this process and now) ends this one at once."""
    parent = os.environ.get(PARENT, "")
    libc = ctypes.CDLL(None, use_errno=True)
    if not parent.isdigit() or not hasattr(libc, "prctl"):
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != int(parent):
        os._exit(1)


def this_process() -> str:
    """``host:pid``: this process, as other processes can find it."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def runs_here(process: str) -> bool:
    """Whether ``process`` (a ``this_process()`` name) ran on this machine."""
    return process.rpartition(":")[0] == socket.gethostname()[:40]


def is_dead(process: str) -> bool:
    """Whether ``process`` (a ``this_process()`` name) ran on this machine
    and is gone. One on another machine cannot be told from here: False."""
    pid = process.rpartition(":")[2]
    if not runs_here(process) or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: alive
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid: int) -> bool:
    """A process killed whose parent has not yet collected it (or never will:
    an orphan under a pid 1 that does not reap) still answers ``kill 0``; it
    has ended all the same. Linux's /proc says so; elsewhere: False."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in ("Z", "X")
