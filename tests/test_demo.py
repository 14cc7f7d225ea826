"""`picdesk demo` builds its slideshows from the photos that ship in the package."""

import pytest

from picdesk.demo.build import build_demo
from picdesk.slideshows.models import Series, Slideshow

pytestmark = pytest.mark.django_db


def test_demo_builds_live_slideshows_once(client):
    lines = build_demo()
    assert len(lines) == 6
    password = lines[-1].split("with password ")[1].split(" ")[0]
    assert client.login(username="demo-editor", password=password)
    assert client.get("/desk/").status_code == 200
    client.logout()
    live = Slideshow.objects.live()
    assert live.count() == 5
    assert Series.objects.get(name="Photos of the week").slideshows.count() == 1
    for show in live:
        assert show.slides.count() >= 3
        for slide in show.slides.select_related("photo"):
            assert slide.photo.caption and slide.photo.credit_line
    home = client.get("/").content.decode()
    assert all(show.title.replace("'", "&#x27;") in home for show in live)
    long_caption_page = client.get(live.get(title__startswith="Autumn").get_absolute_url())
    assert b"...more" in long_caption_page.content
    assert build_demo() == ["this home already has slideshows; the demo adds none"]
