"""How every process that renders many photos (``picdesk import``'s
children, ``picdesk worker``) keeps its memory, and how such a process starts:
with its parent's choice of environment, bound to its parent's life
(core.processes).
"""

from __future__ import annotations

import ctypes
import os

from picdesk.core.processes import PARENT, die_with_parent

# glibc's mallopt() parameter for the number of malloc arenas.
M_ARENA_MAX = -8


def process_environment(processes: int = 1) -> dict[str, str]:
    """Environment for one of ``processes`` processes that render at once:
    glibc keeps two malloc arenas, not eight per core, each holding freed image
    memory (see ``start_rendering``); and the cores are shared out, so
    processes times threads does not oversubscribe them. The operator's own
    values win."""
    threads = str(max(1, (os.cpu_count() or 1) // processes))
    defaults = {"MALLOC_ARENA_MAX": "2", "PICDESK_ENCODE_THREADS": threads, "VIPS_CONCURRENCY": threads}
    return {**defaults, **os.environ, PARENT: str(os.getpid())}


def start_rendering() -> None:
    """Set up a long-lived process that renders many photos (worker, import child).

    Measured in benchmarks/renditions.py (three rounds over the corpus): a
    worker kept about 650 MB resident with the defaults, 190 MB with two malloc
    arenas, and 115 MB with libvips' operation cache off (batch work never
    reuses an operation) and ``release_memory`` after each photo.
    """
    import pyvips

    pyvips.cache_set_max(0)


def release_memory() -> None:
    """Hand memory freed by the last photo back to the OS (glibc keeps it in its
    arenas otherwise, and a resident size only ever grows)."""
    libc = ctypes.CDLL(None)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def start_child(environment: dict[str, str]) -> None:
    """First thing in each spawned import process: the environment its parent
    chose for it (its own, not the parent's), then Django."""
    os.environ.update(environment)
    die_with_parent()
    # glibc read MALLOC_ARENA_MAX when this process started, before the line
    # above: set the same limit directly.
    libc = ctypes.CDLL(None)
    if hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, int(environment.get("MALLOC_ARENA_MAX", "2")))
    import django

    django.setup()
    start_rendering()
