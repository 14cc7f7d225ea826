"""An anonymous reader crawls everything public and guesses what is not: no
title, caption or pixel of a draft or embargoed slideshow, nor of a killed
photo, is reachable."""

import hashlib
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.storage import default_storage

from picdesk.photos.renditions import make_renditions
from picdesk.photos.storage_names import rendition_url
from picdesk.slideshows.kills import kill_photo
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db

SECRETS = ["Embargoed royal wedding", "Secret draft gallery", "Caption nobody may read yet",
           "Killed picture of the mayor"]
LINK = re.compile(r'(?:href|src|srcset|content)="([^"]+)"|<loc>([^<]+)</loc>|"(?:uri|href|next)": "([^"]+)"')


def extract(base: str, body: str) -> set[str]:
    found = set()
    for groups in LINK.findall(body):
        for value in filter(None, groups):
            for part in value.split(","):
                url = urljoin(base, part.strip().split(" ")[0].replace("&amp;", "&"))
                if urlsplit(url).netloc in ("", "testserver"):
                    found.add(urlsplit(url)._replace(scheme="", netloc="").geturl())
    return found


def test_nothing_unpublished_or_killed_is_reachable(client, django_capture_on_commit_callbacks):
    killed = make_photo(SECRETS[3], headline="Withdrawn", width=700, height=400)
    public = make_slideshow("Public pictures", photos=[make_photo("Public caption.", width=700, height=400), killed])
    secret_photo = make_photo(SECRETS[2], headline="Hidden", width=700, height=400)
    draft = make_slideshow(SECRETS[1], photos=[secret_photo], publish=False)
    embargoed = make_slideshow(SECRETS[0], photos=[secret_photo], days_ago=-1)
    for photo in (secret_photo, *[s.photo for s in public.slides.all()]):
        make_renditions(photo)
    secret_bytes = set()
    for rendition in [*secret_photo.renditions.all(), *killed.renditions.all()]:
        with default_storage.open(rendition.file, "rb") as f:
            secret_bytes.add(hashlib.sha256(f.read()).hexdigest())
    killed_key, killed_original = killed.public_key, killed.original
    with django_capture_on_commit_callbacks(execute=True):
        kill_photo(killed, "Agency kill.")

    start = {"/", "/feeds/atom.xml", "/feeds/rss.xml", "/sitemap.xml", "/robots.txt", "/api/v1/slideshows",
             "/api/v1/openapi.json", "/search/?q=royal", "/search/?q=secret", "/search/?q=caption",
             f"/oembed?url=http://testserver{public.get_absolute_url()}", f"/embed/{public.slug}/"}
    guesses = {
        f"/pictures/{s.slug}/{suffix}" for s in (draft, embargoed) for suffix in ("", "1/")
    } | {f"/embed/{s.slug}/" for s in (draft, embargoed)} | {
        f"/api/v1/slideshows/{s.slug}" for s in (draft, embargoed)
    } | {f"/oembed?url=http://testserver/pictures/{s.slug}/" for s in (draft, embargoed)} | {
        f"/api/v1/photos/{n}" for n in range(1, 6)
    } | {f"/media/r/{n}/320.jpg" for n in range(1, 6)} | {
        f"/api/v1/photos/{secret_photo.public_key}", f"/api/v1/photos/{secret_photo.public_key}/original",
        f"/media/r/{secret_photo.public_key}/320.jpg", f"/media/r/{secret_photo.public_key}/700.webp",
        f"/media/r/{secret_photo.public_key}/16x9/320.jpg", rendition_url(secret_photo, 320, "jpeg", "16x9"),
        "/pictures/1/", "/pictures/2/", "/pictures/series/", f"/pictures/{draft.published_at:%Y/%m}/",
        f"/media/r/{killed_key}/320.jpg", f"/media/r/{killed_key}/700.webp", f"/api/v1/photos/{killed_key}",
        f"/api/v1/photos/{killed_key}/original", f"/media/{killed_original}", f"/{killed_original}",
        "/desk/quarantine/", f"/desk/quarantine/{killed.pk}/original/", f"/desk/photos/{killed.pk}/original/",
        f"{public.get_absolute_url()}2/",
    }
    seen, queue = set(), sorted(start | guesses)
    while queue:
        url = queue.pop()
        if url in seen or url.startswith("/static/") or len(seen) > 2000:
            continue
        seen.add(url)
        response = client.get(url)
        body = response.content if not hasattr(response, "streaming_content") else b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() not in secret_bytes, f"secret pixels at {url}"
        text = body.decode("utf-8", "replace")
        unescaped = text.replace("&#x27;", "'")
        for secret in SECRETS:
            assert secret not in unescaped and json.dumps(secret)[1:-1] not in text, f"{secret!r} at {url}"
        if response.status_code == 200 and response.get("Content-Type", "").split(";")[0] in (
            "text/html", "application/xml", "application/json", "application/ninjs+json",
            "application/atom+xml", "application/rss+xml", "text/plain",
        ):
            queue += sorted(extract(f"http://testserver{url}", text) - seen)
    assert len(seen) > 60, f"the crawl reached only {len(seen)} URLs"
    print(f"crawled {len(seen)} URLs")
