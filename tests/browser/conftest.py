"""Debian's chromium, driven by Playwright; never a downloaded browser."""

import shutil
import threading

import pytest

from tests.waiting import wait_for

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _serving_threads() -> list[threading.Thread]:
    # socketserver names each request's thread after its target.
    return [t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")]


@pytest.fixture(autouse=True)
def _requests_end_before_the_database_is_emptied(request):
    """Close every page a test left open and wait for the live server to answer
    what they had asked. A thread still rendering a thumbnail when the test's
    database is truncated deadlocks the flush on PostgreSQL, and the next
    test then finds the last one's rows."""
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if browser is None:
        return
    for context in browser.contexts:
        context.close()
    wait_for(lambda: not _serving_threads(), "the live server finished the requests of closed pages", 60)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk(browser, live_server, make_user):
    """A 1440 x 900 page signed in to the desk as the editor "edith"."""
    from tests.browser.test_desk import sign_in

    make_user("editor", "edith")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url)
    yield page
    context.close()
