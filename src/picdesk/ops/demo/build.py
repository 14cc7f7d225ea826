"""``picdesk demo``: the demo slideshows, built once per home through the same
ingest as ``picdesk import`` from the photos that ship in this package."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path

from django.utils import timezone

from picdesk.photos.ingest import Arrival, ingest_file
from picdesk.slideshows.models import Series, Slideshow
from picdesk.slideshows.publishing import create_slideshow

DEMO_DIR = Path(__file__).resolve().parent
DEMO = Arrival("demo")


def build_demo() -> list[str]:
    """Import the demo photos and publish the demo slideshows, unless this home
    already has slideshows. Returns what was done, for the console."""
    if Slideshow.objects.exists():
        return ["this home already has slideshows; the demo adds none"]
    spec = json.loads((DEMO_DIR / "slideshows.json").read_text())
    photos = {name: ingest_file(DEMO_DIR / "photos" / name, arrival=DEMO).photo for name in spec["photos"]}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    lines = []
    for show in spec["slideshows"]:
        series = None
        if show.get("series"):
            series, _ = Series.objects.get_or_create(name=show["series"])
        slideshow = create_slideshow(
            show["title"],
            [photos[name] for name in show["photos"]],
            summary=show["summary"],
            published_at=now - dt.timedelta(days=show["days_ago"]),
            publish=True,
            series=series,
            by=DEMO,
        )
        lines.append(f"demo slideshow: {slideshow.title} ({slideshow.get_absolute_url()})")
    return lines + demo_account()


DEMO_USER = "demo-editor"


def demo_account() -> list[str]:
    """An editor account to try the desk with. Its random password is printed
    this once and kept nowhere; `picdesk createuser` makes real accounts."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from picdesk.core.roles import create_user

    if get_user_model().objects.filter(username=DEMO_USER).exists():
        return []
    password = secrets.token_urlsafe(12)
    create_user(DEMO_USER, password, "editor")
    return [
        f"desk: /desk/ — sign in as {DEMO_USER} with password {password} (shown only now)",
        f"lost it? picdesk --home {settings.HOME} setpassword {DEMO_USER}",
    ]
