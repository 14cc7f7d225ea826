"""Every kind of reader and desk page is valid HTML5 by the Nu HTML Checker (vnu-jar)."""

import json
import subprocess

import pytest

from django.contrib.auth import get_user_model

from tests.pages import desk_urls, node_tool, reader_urls, status_of

pytestmark = pytest.mark.django_db


def test_reader_and_desk_pages_have_no_html_errors(client, tmp_path):
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    urls = reader_urls()
    desk = desk_urls()
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == status_of(name), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    client.force_login(get_user_model().objects.get(username="ada"))
    for name, url in desk.items():
        response = client.get(url)
        assert response.status_code == 200, url
        (tmp_path / f"desk-{name.replace(' ', '-')}.html").write_bytes(response.content)
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True, text=True, timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors)
    assert len(list(tmp_path.glob("*.html"))) == len(urls) + len(desk)
