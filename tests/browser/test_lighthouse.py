"""Lighthouse (mobile, its defaults) scores every kind of reader page 100 for
accessibility, best practices and SEO, and home, slideshow and photo pages at
least 95 for performance (with the shipped font), over the demo. Those
three are measured three times and judged by Lighthouse's median run: their
score comes from timings, which one busy moment on a CI machine can spoil
(a single run once gave the photo page 0.94 where it scores 0.99)."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS
from tests.pages import ERROR_PAGES, node_tool, reader_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCRIPT = Path(__file__).resolve().parent / "lighthouse.mjs"
FAST = ("home", "slideshow", "photo")  # held to performance 95 on a phone
RUNS_OF_FAST = 3


def test_reader_pages_score_100(live_server):
    node_tool("lighthouse/package.json")
    urls = {name: url for name, url in reader_urls().items() if name not in ERROR_PAGES}
    pages = [{"url": live_server.url + url, "runs": RUNS_OF_FAST if name in FAST else 1} for name, url in urls.items()]
    result = subprocess.run(
        ["node", str(SCRIPT), CHROMIUM, json.dumps(LAUNCH_ARGS), json.dumps(pages)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == len(urls), result.stdout
    performance = {name: report["scores"].pop("performance") for name, report in zip(urls, reports)}
    scores = {name: (report["scores"], report["failing"]) for name, report in zip(urls, reports)}
    perfect = {"accessibility": 1, "best-practices": 1, "seo": 1}
    assert scores == {name: (perfect, []) for name in urls}
    fast = {name: performance[name] for name in FAST}
    metrics = {name: report["metrics"] for name, report in zip(urls, reports) if name in FAST}
    print(json.dumps({"performance": fast, "metrics": metrics}))  # with -s: the figures for a note
    assert all(score >= 0.95 for score in fast.values()), (fast, metrics)
