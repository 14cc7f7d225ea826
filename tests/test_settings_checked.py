"""Settings are checked when picdesk starts: a typo is named with the values
it may take, before anything is served or purged."""

import subprocess
import sys

import pytest

from tests.test_cli import picdesk_env


@pytest.mark.parametrize("name, value, expected", [
    ("PICDESK_PURGER", "varnsh", "one of '', 'varnish', 'fastly', 'cloudflare'"),
    ("PICDESK_TIME_ZONE", "Mars/Base", "an IANA time zone name"),
    ("PICDESK_WORKERS", "two", "is not valid"),
])
@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_bad_setting_stops_the_start_with_its_name(tmp_path, name, value, expected, command):
    result = subprocess.run([sys.executable, "-m", "picdesk", "--home", str(tmp_path), command],
                            env=picdesk_env(**{name: value}), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"{name}={value!r} is not valid" in result.stderr and expected in result.stderr


def test_the_system_check_names_the_setting(monkeypatch):
    from picdesk.core.config import check_settings

    monkeypatch.setenv("PICDESK_PURGER", "squid")
    (error,) = check_settings()
    assert error.id == "picdesk.E001" and "PICDESK_PURGER" in error.msg
