"""axe-core finds no accessibility violation, of any impact, on the reader pages."""

import os

import pytest

from tests.pages import DESK_PASSWORD, desk_urls, hostile_reader_urls, node_tool, reader_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages_have_no_violations(live_server, browser, scheme):
    axe = node_tool("axe-core/axe.min.js")
    urls = reader_urls()
    axe_source = axe.read_text()
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    found = {}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        # axe is the test's own script, evaluated through DevTools: the page's
        # CSP (no inline scripts) rightly refuses it as a <script> tag.
        page.evaluate(axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        assert len(result["passes"]) > 10, f"axe checked almost nothing on {url}"
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
    context.close()
    assert found == {name: [] for name in urls}
    assert blocked == [], "the pages broke their own Content Security Policy"


@pytest.mark.parametrize("pages", [reader_urls, hostile_reader_urls])
def test_reader_pages_fit_a_320_pixel_phone(live_server, browser, pages):
    """No horizontal scroll, even when every text is one 400-letter word."""
    urls = pages()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    widths = {}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        widths[name] = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert widths == {name: 320 for name in urls}


@pytest.mark.parametrize("scheme, theme", [("light", "grey"), ("dark", "grey"), ("light", "light"), ("dark", "light")])
def test_desk_pages_have_no_violations(live_server, browser, scheme, theme):
    """In the desk's grey theme and its light one, whatever the system's scheme."""
    axe_source = node_tool("axe-core/axe.min.js").read_text()
    urls = desk_urls()
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "desk_theme", "value": theme, "url": live_server.url}])
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(live_server.url + "/desk/login/")
    found = {"login": _violations(page, axe_source)}
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill(DESK_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/desk/")
    for name, url in urls.items():
        page.goto(live_server.url + url)
        # Folded sections too (the photo page's IPTC structures): axe skips what is not shown.
        page.evaluate("() => document.querySelectorAll('details').forEach(fold => { fold.open = true; })")
        found[name] = _violations(page, axe_source)
    context.close()
    assert found == {name: [] for name in ["login", *urls]}
    assert blocked == [], "the desk broke its own Content Security Policy"


def _violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert len(result["passes"]) > 10, f"axe checked almost nothing on {page.url}"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_desk_pages_fit_a_phone(live_server, browser):
    urls = desk_urls()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/desk/login/")
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill(DESK_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/desk/")
    widths = {}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        widths[name] = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert widths == {name: 390 for name in urls}


@pytest.mark.parametrize("width", [390, 1280])
def test_a_long_headline_without_spaces_stays_in_its_card(live_server, browser, width):
    from picdesk.core.roles import create_user
    from tests.factories import make_photo

    make_photo("Caption.", headline="Wide" * 60)
    make_photo("Caption.", headline="A neighbour")
    create_user("ada", DESK_PASSWORD, "admin")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/desk/")
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill(DESK_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".sheet li")
    overflowing = page.eval_on_selector_all(
        ".sheet li", "cards => cards.filter(c => c.scrollWidth > c.clientWidth).map(c => c.innerText.slice(0, 30))")
    context.close()
    assert overflowing == []
