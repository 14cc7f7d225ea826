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
# The folders are the layers (README's "Layout"): core/ (no models), the
# domain apps, the web apps, ops/ (processes an operator starts); at the
# package root, Django's wiring, each file in the layer of what it names.
LAYERS = [
    {"core", "audit", "settings", "apps"},
    {"photos"},
    {"slideshows"},
    {"reader", "api"},
    {"desk"},
    # security: its policy names the buckets images come from (photos.public)
    {"ops", "urls", "wsgi", "security", "admin", "models", "__main__", "__init__"},
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


# Channels: where changes come in. They call the services in photos/ and
# slideshows/ (and roles' account services), which enforce the rules, write
# the audit entry and declare the effects; they never write a model themselves.
CHANNELS = ["desk/views", "desk/forms.py", "api/views.py", "api/writes.py", "api/auth.py", "ops/cli.py",
            "ops/ftp.py", "ops/hotfolder.py", "admin.py"]
# Calls that write rows, whatever they are called on.
WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Calls that write rows when called on a manager or a queryset.
QUERYSET_WRITES = {"create", "update"}
QUERYSET_STARTS = {"objects", "filter", "exclude", "all", "select_for_update"}


def _receiver_names(node: ast.AST) -> set[str]:
    """Every attribute and call name along ``a.b.filter(...).c``."""
    names = set()
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            node = node.value
        else:
            return names


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    name = call.func.attr
    if name in WRITES:
        committed = not any(k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                            for k in call.keywords)
        return committed and not (name == "save" and _receiver_names(call.func.value) & {"default_storage"})
    return name in QUERYSET_WRITES and bool(_receiver_names(call.func.value) & QUERYSET_STARTS)


def model_writes_in_channels(root: Path = SRC, channels=CHANNELS) -> list[str]:
    problems = []
    for channel in channels:
        where = root / channel
        for path in sorted(where.rglob("*.py") if where.is_dir() else [where] if where.exists() else []):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and _is_write(node):
                    problems.append(f"{path.relative_to(root)}:{node.lineno}: writes a model directly "
                                    f"(.{node.func.attr}); call a service in photos/ or slideshows/")
    return problems


def test_channels_never_write_models_directly():
    assert model_writes_in_channels() == []


@pytest.mark.parametrize(
    "source, writes",
    [
        ("def f(show):\n    show.save()\n", True),
        ("def f(form):\n    form.save()\n", True),
        ("def f(form):\n    form.save(commit=False)\n", False),
        ("def f():\n    Slide.objects.filter(pk=1).delete()\n", True),
        ("def f():\n    Photo.objects.filter(pk=1).update(caption='')\n", True),
        ("def f():\n    Series.objects.create(name='x')\n", True),
        ("def f(data):\n    data.update(x=1)\n", False),
        ("def f(request):\n    messages.success(request, 'ok')\n", False),
    ],
)
def test_the_check_catches_a_model_write_in_a_channel(tmp_path, source, writes):
    (tmp_path / "picdesk" / "desk" / "views").mkdir(parents=True)
    (tmp_path / "picdesk" / "desk" / "views" / "bad.py").write_text(source)
    problems = model_writes_in_channels(tmp_path / "picdesk", ["desk/views"])
    assert bool(problems) == writes, problems
