"""The vocabulary of culling: a rating (0 to 5 stars), a colour class
(Photo Mechanic's eight, by number and name) and a pick or reject, the marks
an editor puts on each frame of a take. Plain values, no models: the
metadata mapping reads and writes them (photos.metadata), the culling service
sets them (photos.culling).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_RATING = 5
# Photo Mechanic's colour classes, numbered as its ``photomechanic:ColorClass``
# and keyed 1 to 8 there; with the colour it shows each in by default.
COLOR_CLASSES = {
    0: ("None", ""),
    1: ("Winner", "red"),
    2: ("Winner alt", "orange"),
    3: ("Superior", "yellow"),
    4: ("Superior alt", "green"),
    5: ("Typical", "blue"),
    6: ("Typical alt", "purple"),
    7: ("Extras", "grey"),
    8: ("Trash", "brown"),
}
PICKED, UNMARKED, REJECTED = 1, 0, -1
PICKS = {PICKED: "Picked", UNMARKED: "Unmarked", REJECTED: "Rejected"}

class BadMark(ValueError):
    """A rating, colour class or pick that does not exist."""


@dataclass(frozen=True)
class Marks:
    """Which marks to set; None leaves one as it is."""

    rating: int | None = None
    color_class: int | None = None
    pick: int | None = None

    def checked(self) -> "Marks":
        if self.rating is not None and not 0 <= self.rating <= MAX_RATING:
            raise BadMark(f"a rating is 0 to {MAX_RATING} stars, not {self.rating}")
        if self.color_class is not None and self.color_class not in COLOR_CLASSES:
            raise BadMark(f"a colour class is 0 to 8, not {self.color_class}")
        if self.pick is not None and self.pick not in PICKS:
            raise BadMark(f"a pick is 1 (pick), 0 or -1 (reject), not {self.pick}")
        return self

    def given(self) -> dict[str, int]:
        return {name: value for name, value in vars(self).items() if value is not None}


def describe(photo, names: list[str]) -> str:
    """What the marks ``names`` of ``photo`` now say, for the record and for
    the screen reader's announcement."""
    parts = {
        "rating": f"{photo.rating} star{'s' if photo.rating != 1 else ''}" if photo.rating else "no rating",
        "color_class": f"colour class {color_class_name(photo.color_class)}",
        "pick": PICKS[photo.pick].lower(),
    }
    return ", ".join(parts[name] for name in names)


def color_class_name(number: int) -> str:
    return COLOR_CLASSES.get(number, COLOR_CLASSES[0])[0]


def class_of_label(label: str) -> int:
    """The colour class an ``xmp:Label`` names: Photo Mechanic writes the
    class's name, Lightroom and Bridge a colour ("Red"); 0 for none."""
    label = label.strip().casefold()
    for number, (name, colour) in COLOR_CLASSES.items():
        if number and label in (name.casefold(), colour):
            return number
    return 0
