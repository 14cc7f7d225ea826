"""Data flows one way: ingest -> store -> render -> publish. A module may import
from its own layer's package and from layers below, never from above; the
reader and the API stand side by side and borrow nothing from each other.

This reads every module's imports (including those inside functions) from
its source, so a wrong-way import fails here before it becomes a cycle.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "picdesk"

# Lowest first. Each entry: the top-level picdesk modules or packages in it.
LAYERS = [
    {"config", "dates", "caching", "pagecache", "purging", "ratelimit", "roles", "folders", "audit",
     "settings", "queues", "apps"},
    {"photos"},
    {"slideshows"},
    {"reader", "api"},
    {"desk"},
    # security: its policy names the buckets images come from (photos.public)
    {"batch", "ftp", "hotfolder", "server", "backup", "demo", "cli", "urls", "wsgi", "security", "__main__",
     "__init__"},
]
# Within these layers, the packages are peers that must not lean on each other.
PEERS_APART = [{"reader", "api"}]
LAYER_OF = {name: n for n, names in enumerate(LAYERS) for name in names}


def top_level(module: str) -> str | None:
    """``picdesk.photos.models`` -> ``photos``; None for other packages."""
    parts = module.split(".")
    return parts[1] if parts[0] == "picdesk" and len(parts) > 1 else None


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names = [f"{module}.{alias.name}" for alias in node.names] if module == "picdesk" else [module]
            found += [(node.lineno, name) for name in names]
    return found


def wrong_way_imports(root: Path = SRC) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # migrations name other apps' migrations by design
        own = top_level(".".join(path.relative_to(root.parent).with_suffix("").parts))
        if own not in LAYER_OF:
            problems.append(f"{path.relative_to(root)}: module {own!r} is in no layer of tests/test_layers.py")
            continue
        for line, module in imports_of(path, root):
            other = top_level(module)
            if other is None or other == own:
                continue
            if other not in LAYER_OF:
                problems.append(f"{path.relative_to(root)}:{line}: imports {module}, in no layer")
            elif LAYER_OF[other] > LAYER_OF[own]:
                problems.append(f"{path.relative_to(root)}:{line}: {own} imports {module} from a higher layer")
            elif any({own, other} <= peers for peers in PEERS_APART):
                problems.append(f"{path.relative_to(root)}:{line}: {own} imports its peer {module}")
    return problems


def test_every_import_goes_down_the_layers():
    assert wrong_way_imports() == []


@pytest.mark.parametrize(
    "where, source, complaint",
    [
        ("photos/bad.py", "from picdesk.slideshows.models import Slideshow\n", "from a higher layer"),
        ("slideshows/bad.py", "def f():\n    from picdesk.reader import search\n", "from a higher layer"),
        ("api/bad.py", "from picdesk.reader.views import home\n", "its peer"),
        ("photos/bad.py", "from picdesk import desk\n", "from a higher layer"),
        ("reader/bad.py", "from ..desk import roles\n", "from a higher layer"),
        ("mystery.py", "import os\n", "in no layer"),
    ],
)
def test_the_check_catches_a_wrong_way_import(tmp_path, where, source, complaint):
    root = tmp_path / "picdesk"
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    (root / where).write_text(source)
    problems = wrong_way_imports(root)
    assert len(problems) == 1 and complaint in problems[0], problems
