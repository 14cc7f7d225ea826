"""Fixed-aspect crops (rails, covers, social images) that keep what matters.

Each photo gets a *focus*: the box around the faces OpenCV finds in it, else
the point libvips' attention model picks (``smartcrop``); an editor can set
it by hand (source "editor"). A crop of any aspect is then the largest box
of that aspect that fits the photo, placed to hold the focus, centred on it
where possible; or, for an aspect where an editor drew one, that box
(``Photo.crop_boxes``: fractions of the photo, as ``Focus``).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import pyvips

from picdesk.photos.spec import ASPECTS


DETECTION_WIDTH = 640  # faces this many pixels wide or more are found at ~20 px


@dataclass(frozen=True)
class Focus:
    """A box in fractions of the photo's width and height (0..1)."""

    x: float
    y: float
    w: float
    h: float
    source: str  # "faces", "attention" or "editor"

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict | None) -> Focus:
        if not data:
            return cls(0.5, 0.5, 0.0, 0.0, "centre")
        return cls(data["x"], data["y"], data["w"], data["h"], data["source"])


# OpenCV's cascade classifier keeps scratch state in the object: one detection
# at a time (the web server makes on-demand crops on several threads).
DETECTION = threading.Lock()


@functools.cache
def _face_detector():
    import cv2  # opencv-python-headless; its Haar cascades ship in the wheel

    return cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")


def find_focus(image: pyvips.Image) -> Focus:
    """The focus of an upright, decoded photo (any size; it is scaled down here)."""
    small = image.thumbnail_image(DETECTION_WIDTH, height=DETECTION_WIDTH * 4, size="down")
    grey = small.colourspace("b-w")[0].numpy()
    with DETECTION:
        found = _face_detector().detectMultiScale(grey, scaleFactor=1.15, minNeighbors=6, minSize=(20, 20))
    # The subjects' faces, not every face-like patch in a crowd or a pattern:
    # those at least a quarter of the largest face's area.
    largest = max((int(w) * int(h) for _, _, w, h in found), default=0)
    faces = [tuple(map(int, f)) for f in found if int(f[2]) * int(f[3]) * 4 >= largest]
    if faces:
        left = min(x for x, _, _, _ in faces)
        top = min(y for _, y, _, _ in faces)
        right = max(x + w for x, _, w, _ in faces)
        bottom = max(y + h for _, y, _, h in faces)
        return Focus(
            left / small.width, top / small.height,
            (right - left) / small.width, (bottom - top) / small.height, "faces",
        )
    side = max(1, min(small.width, small.height) // 2)  # a photo a pixel wide has a centre too
    _, point = small.smartcrop(side, side, interesting="attention", attention_x=True, attention_y=True)
    return Focus(point["attention_x"] / small.width, point["attention_y"] / small.height, 0.0, 0.0, "attention")


def crop_size(width: int, height: int, aspect: str) -> tuple[int, int]:
    """Width and height of the largest ``aspect`` box inside ``width`` × ``height``."""
    ratio_w, ratio_h = ASPECTS[aspect]
    crop_w = min(width, round(height * ratio_w / ratio_h))
    return crop_w, min(height, round(crop_w * ratio_h / ratio_w))


def chosen_box(width: int, height: int, aspect: str, chosen: dict) -> tuple[int, int, int, int]:
    """(left, top, width, height) in pixels of the box an editor drew for
    ``aspect`` (fractions), held to the aspect and inside the photo."""
    ratio_w, ratio_h = ASPECTS[aspect]
    largest_w, _ = crop_size(width, height, aspect)
    crop_w = _clamp(round(chosen["w"] * width), min(16, largest_w), largest_w)
    crop_h = max(1, round(crop_w * ratio_h / ratio_w))
    left = _clamp(round(chosen["x"] * width), 0, width - crop_w)
    top = _clamp(round(chosen["y"] * height), 0, height - crop_h)
    return left, top, crop_w, crop_h


def crop_box(width: int, height: int, aspect: str, focus: Focus,
             chosen: dict | None = None) -> tuple[int, int, int, int]:
    """(left, top, width, height) of the box an editor chose for ``aspect``,
    else of the largest ``aspect`` box inside a photo of ``width`` ×
    ``height``, holding the focus box and centred on it where the photo's
    edges allow."""
    if chosen:
        return chosen_box(width, height, aspect, chosen)
    crop_w, crop_h = crop_size(width, height, aspect)
    centre_x = (focus.x + focus.w / 2) * width
    centre_y = (focus.y + focus.h / 2) * height
    # Faces sit in the upper part of a good crop (room for shoulders below):
    # aim the box's centre a little below the faces' centre, never past them.
    if focus.source == "faces":
        centre_y = min(centre_y + crop_h * 0.1, focus.y * height + crop_h / 2)
    left = _clamp(round(centre_x - crop_w / 2), 0, width - crop_w)
    top = _clamp(round(centre_y - crop_h / 2), 0, height - crop_h)
    return left, top, crop_w, crop_h


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def crop_to(image: pyvips.Image, aspect: str, focus: Focus, chosen: dict | None = None) -> pyvips.Image:
    return image.crop(*crop_box(image.width, image.height, aspect, focus, chosen))
