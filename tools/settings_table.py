"""Writes README.md's settings table from ``src/picdesk/core/config.py``, the one
place settings are defined (``tests/test_docs.py`` fails when they differ).

Run after adding or changing a setting: ``.venv/bin/python tools/settings_table.py``
"""

import re
from pathlib import Path

from picdesk.core.config import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- settings table: tools/settings_table.py -->", "<!-- end of settings table -->"


def table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for spec in SETTINGS.values():
        default = f"`{spec.default}`" if spec.default else "(empty)"
        rows.append(f"| `{spec.name}` | {default} | {spec.doc} |")
    return "\n".join([START, *rows, END])


def main() -> None:
    text = README.read_text()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    README.write_text(pattern.sub(lambda _: table(), text))


if __name__ == "__main__":
    main()
