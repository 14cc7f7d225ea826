"""Lighthouse (mobile, its defaults) scores every kind of reader page 100 for
accessibility, best practices and SEO, over the demo."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS
from tests.pages import node_tool, reader_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCRIPT = Path(__file__).resolve().parent / "lighthouse.mjs"


def test_reader_pages_score_100(live_server):
    node_tool("lighthouse/package.json")
    urls = reader_urls()
    result = subprocess.run(
        ["node", str(SCRIPT), CHROMIUM, json.dumps(LAUNCH_ARGS), *(live_server.url + url for url in urls.values())],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == len(urls), result.stdout
    scores = {name: (report["scores"], report["failing"]) for name, report in zip(urls, reports)}
    perfect = {"accessibility": 1, "best-practices": 1, "seo": 1}
    assert scores == {name: (perfect, []) for name in urls}
