"""The vendored SortableJS is the npm package's file, unmodified: updating it
means `npm update sortablejs` and copying these two files."""

from pathlib import Path

import picdesk.desk
from tests.pages import node_tool

VENDOR = Path(picdesk.desk.__file__).parent / "static/desk/vendor"


def test_vendored_sortable_matches_the_npm_package():
    package = node_tool("sortablejs/Sortable.min.js")
    assert (VENDOR / "Sortable.min.js").read_bytes() == package.read_bytes()
    assert (VENDOR / "Sortable.LICENSE").read_bytes() == (package.parent / "LICENSE").read_bytes()
