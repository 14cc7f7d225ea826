"""Documentation that must stay true: README's settings table is the one
config.py defines, and the newcomer's two commands are there."""

import importlib.util
from pathlib import Path

import pytest

from picdesk.core.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _settings_table() -> str:
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "tools" / "settings_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.table()


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_is_documented(name):
    assert f"`{name}`" in README, f"{name} is missing from README.md's settings table"


def test_readme_settings_table_is_config_py_s():
    assert _settings_table() in README, "run tools/settings_table.py: README's settings table is out of date"


def test_readme_names_the_two_newcomer_commands():
    assert "picdesk demo" in README
    assert "bash .ci/run" in README or "pytest" in README
