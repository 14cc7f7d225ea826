"""Renditions made while a reader waits (a size or crop the workers have not
made yet), without letting a crowd take the site down.

- One render per photo and spec, across threads, processes and machines: the
  first request takes the spec's lock row (photos.locks); the others wait for
  its rendition to appear.
- At most PICDESK_RENDERS_PER_PROCESS renders at once in a web process, so a
  burst of different specs queues instead of decoding them all at once.
- Nobody waits longer than PICDESK_RENDER_WAIT seconds: then ``RenderBusy``,
  which the views answer 503 with Retry-After.
- Memory freed by a render goes back to the system (``release_memory``).
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from picdesk.core.config import setting
from picdesk.core.memory import release_memory, start_rendering
from picdesk.core.metrics import RENDERS
from picdesk.photos.locks import rendering
from picdesk.photos.models import Photo, Rendition
from picdesk.photos.renditions import ensure_rendition

logger = logging.getLogger(__name__)

POLL = 0.05  # seconds between looks for a rendition another request is making
RETRY_AFTER = 2  # seconds, told to a request that waited too long


class RenderBusy(Exception):
    """Too many renders under way: come back in RETRY_AFTER seconds."""


@functools.cache
def _render_slots() -> threading.BoundedSemaphore:
    """Made on the first render, in the process that renders: libvips'
    operation cache goes off then (a web process never makes the same image
    twice, and the cache would keep decoded photos)."""
    start_rendering()
    return threading.BoundedSemaphore(setting("PICDESK_RENDERS_PER_PROCESS"))


def rendition_now(photo: Photo, width: int, fmt: str, crop: str = "") -> Rendition:
    """The rendition, made here if nobody else is making it; RenderBusy past
    PICDESK_RENDER_WAIT seconds."""
    deadline = time.monotonic() + setting("PICDESK_RENDER_WAIT")
    while True:
        if found := _existing(photo, width, fmt, crop):
            return found
        with rendering(photo.pk, f"{crop or 'full'}:{width}:{fmt}") as mine:
            if mine:  # and made meanwhile by the holder before?
                return _existing(photo, width, fmt, crop) or _render(photo, width, fmt, crop, deadline)
        if time.monotonic() > deadline:
            raise RenderBusy
        time.sleep(POLL)


def _existing(photo: Photo, width: int, fmt: str, crop: str) -> Rendition | None:
    return photo.renditions.filter(width=width, format=fmt, crop=crop).first()


def _render(photo: Photo, width: int, fmt: str, crop: str, deadline: float) -> Rendition:
    slots = _render_slots()
    if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise RenderBusy
    try:
        with RENDERS.labels("on demand").time():
            made = ensure_rendition(photo, width, fmt, crop)
        logger.info("photo %s: %s %dw %s made for a reader", photo.pk, crop or "full frame", width, fmt)
        return made
    finally:
        slots.release()
        release_memory()
