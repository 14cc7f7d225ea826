"""Documentation that must stay true: every setting is in README.md."""

from pathlib import Path

import pytest

from picdesk.config import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_is_documented(name):
    assert f"`{name}`" in README, f"{name} is missing from README.md's settings table"


def test_readme_names_the_two_newcomer_commands():
    assert "picdesk demo" in README
    assert "bash .ci/run" in README or "pytest" in README
