"""Originals, renditions and quarantine on S3-compatible object storage (a real
SeaweedFS server): what is private stays private whatever its key, readers
fetch live photos' renditions straight from the public bucket, a kill or an
unpublication takes them out of it at once."""

import datetime as dt
import time
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from picdesk.photos.models import Rendition
from picdesk.photos.spec import EXTENSIONS
from picdesk.photos.renditions import make_renditions
from picdesk.photos.storage_names import crop_folder, rendition_url
from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.publishing import publish, publish_due, unpublish
from tests.waiting import wait_for
from tests.conftest import BUCKET, PUBLIC_BUCKET
from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db(transaction=True)  # copies happen once the change is committed


def anonymous_get(url: str) -> tuple[int, dict, bytes]:
    """What anybody on the internet gets, with no credentials."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def made_photo(caption: str):
    """A photo with renditions at 320 and 640 px, made."""
    made = make_photo(caption, width=800, height=600)
    make_renditions(made)
    return made


def keys(client, bucket: str) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def public_url(client, name: str) -> str:
    return f"{client.endpoint}/{PUBLIC_BUCKET}/{name}"


def test_originals_and_renditions_live_in_the_private_bucket(object_storage):
    stored_photo = made_photo("Stored in the bucket.")
    stored = keys(object_storage, BUCKET)
    assert stored_photo.original in stored
    assert {r.file for r in stored_photo.renditions.all()} <= set(stored)
    for name in (stored_photo.original, stored_photo.renditions.first().file):
        status, _, body = anonymous_get(f"{object_storage.endpoint}/{BUCKET}/{name}")
        assert status == 403 and b"JFIF" not in body
    assert keys(object_storage, PUBLIC_BUCKET) == []  # not live: nothing public


def test_live_photos_are_read_straight_from_the_public_bucket(object_storage, client):
    live = made_photo("Live now.")
    show = make_slideshow("Live", photos=[live])
    public = keys(object_storage, PUBLIC_BUCKET)
    assert public == sorted(f"r/{live.public_key}/{r.width}.{EXTENSIONS[r.format]}" for r in live.renditions.all())
    assert {f"r/{live.public_key}/{w}.jpg" for w in (320, 640, 800)} <= set(public)
    html = page(client, show.get_absolute_url())
    base = f"{object_storage.endpoint}/{PUBLIC_BUCKET}/r/{live.public_key}/"
    assert f'src="{base}640.jpg"' in html and f"{base}320.jpg 320w" in html
    # Only what is not made yet (the share card's crop) goes through picdesk, to be made.
    assert f"/media/r/{live.public_key}/640.jpg" not in html and f"/media/r/{live.public_key}/320" not in html
    status, headers, body = anonymous_get(f"{base}640.jpg")
    assert status == 200 and body[:2] == b"\xff\xd8"
    # A CDN in front purges it by key, as picdesk's other documents are.
    head = object_storage.head_object(Bucket=PUBLIC_BUCKET, Key=f"r/{live.public_key}/640.jpg")
    assert head["Metadata"] == {"surrogate-key": f"p{live.pk}"}
    assert headers["Content-Type"] == "image/jpeg" and "max-age=86400" in headers["Cache-Control"]
    # The URL a page builds is the one the storage itself gives.
    from picdesk.photos.public import public_storage

    assert public_storage().url(f"r/{live.public_key}/640.jpg") == f"{base}640.jpg"


def test_a_size_not_made_yet_is_made_copied_and_redirected_to(object_storage, client):
    live = made_photo("Cropped on demand.")
    make_slideshow("Live", photos=[live])
    response = client.get(rendition_url(live, 320, "webp", "16x9"))
    if response["Location"].startswith("/media/r/"):  # the crop found its focus meanwhile: its new address
        response = client.get(response["Location"])
    live.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == public_url(object_storage, f"r/{live.public_key}/{crop_folder(live, '16x9')}/320.webp")
    status, headers, body = anonymous_get(response["Location"])
    assert status == 200 and headers["Content-Type"] == "image/webp" and body[8:12] == b"WEBP"


def test_the_desk_gets_short_lived_presigned_urls_of_what_is_not_public(object_storage, editor, settings):
    settings.STORAGES["default"]["OPTIONS"]["querystring_expire"] = 2
    settings.STORAGES = dict(settings.STORAGES)  # storages are made again from it
    draft = made_photo("A draft's photo.")
    make_slideshow("Draft", photos=[draft], publish=False)
    assert editor.get(f"/media/r/{draft.public_key}/320.jpg")["Cache-Control"] == "private, no-store"
    location = editor.get(f"/media/r/{draft.public_key}/320.jpg")["Location"]
    assert location.startswith(f"{object_storage.endpoint}/{BUCKET}/renditions/") and "Signature=" in location
    assert anonymous_get(location)[0] == 200
    assert anonymous_get(location.replace("Signature=", "Signature=0"))[0] == 403  # tampered
    assert anonymous_get(location.split("?")[0])[0] == 403  # unsigned
    wait_for(lambda: anonymous_get(location)[0] == 403, "the presigned URL never expired")
    assert keys(object_storage, PUBLIC_BUCKET) == []


def test_kill_and_unpublish_take_renditions_out_of_the_public_bucket_at_once(object_storage):
    kept, killed = made_photo("Kept."), made_photo("Killed.")
    show = make_slideshow("Live", photos=[kept, killed])
    killed_url = public_url(object_storage, f"r/{killed.public_key}/320.jpg")
    assert anonymous_get(killed_url)[0] == 200
    kill_photo(killed, "Wrong person named.")
    assert anonymous_get(killed_url)[0] == 404
    assert not [k for k in keys(object_storage, PUBLIC_BUCKET) if killed.public_key in k]
    assert not [k for k in keys(object_storage, BUCKET) if k.startswith(f"renditions/{killed.public_key}/")]
    killed.refresh_from_db()
    assert killed.original in keys(object_storage, BUCKET) and killed.original.startswith("quarantine/")

    kept_url = public_url(object_storage, f"r/{kept.public_key}/320.jpg")
    assert anonymous_get(kept_url)[0] == 200
    unpublish(show)
    assert anonymous_get(kept_url)[0] == 404 and keys(object_storage, PUBLIC_BUCKET) == []
    assert not Rendition.objects.filter(public=True).exists()


def test_an_embargoed_photo_is_public_only_from_its_time(object_storage, settings):
    from django_tasks import default_task_backend

    def run_queued_copies():
        """What a worker does with the copies queued since the last call."""
        for result in list(default_task_backend.results):
            if result.task.name == "expose_photos":
                result.task.call(*result.args)
        default_task_backend.clear()

    embargoed = made_photo("Embargoed.")
    # Publication later needs a queue that can wait; the worker is this test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    show = make_slideshow("Later", photos=[embargoed], publish=False)
    due = timezone.now() + dt.timedelta(seconds=1)
    publish(show, due)
    run_queued_copies()
    assert keys(object_storage, PUBLIC_BUCKET) == []
    assert publish_due() == []
    run_queued_copies()
    assert keys(object_storage, PUBLIC_BUCKET) == []
    time.sleep((due - timezone.now()).total_seconds())
    assert publish_due() == [show]
    run_queued_copies()
    assert anonymous_get(public_url(object_storage, f"r/{embargoed.public_key}/320.jpg"))[0] == 200


def test_renditions_made_after_publication_follow_into_the_public_bucket(object_storage):
    from picdesk.photos.renditions import make_background_renditions

    live = made_photo("WebP and AVIF come later.")
    make_slideshow("Live", photos=[live])
    make_background_renditions(live)
    public = keys(object_storage, PUBLIC_BUCKET)
    assert f"r/{live.public_key}/320.avif" in public and f"r/{live.public_key}/320.webp" in public
    assert set(Rendition.objects.filter(photo=live).values_list("public", flat=True)) == {True}


def test_the_commands_on_the_bucket_with_a_100_mb_original(object_storage, tmp_path):
    """`picdesk import` of a 100 MB original (a multipart upload), `picdesk
    check`, export and restore, all against the bucket."""
    import hashlib

    from tests.factories import wire_sized_jpeg
    from tests.test_cli import picdesk

    big = tmp_path / "big.jpg"
    big.write_bytes(wire_sized_jpeg("A 100 MB original.", width=8400, height=5600))
    size = big.stat().st_size
    assert size >= 100_000_000
    home = tmp_path / "home"
    imported = picdesk(home, "import", str(big), "--slideshow", "Big", "--publish")
    assert imported.returncode == 0, imported.stderr
    (original,) = [k for k in keys(object_storage, BUCKET) if k.startswith("originals/")]
    head = object_storage.head_object(Bucket=BUCKET, Key=original)
    assert head["ContentLength"] == size and "-" in head["ETag"]  # "-N": sent in N parts
    stored = object_storage.get_object(Bucket=BUCKET, Key=original)["Body"].read()
    assert hashlib.sha256(stored).digest() == hashlib.sha256(big.read_bytes()).digest()
    assert not (home / "media").exists()  # nothing on the local disk

    checked = picdesk(home, "check")
    assert checked.returncode == 0 and "1 photo" in checked.stdout, checked.stdout + checked.stderr
    (lost,) = [k for k in keys(object_storage, BUCKET) if k.endswith("/320.jpg")]
    object_storage.delete_object(Bucket=BUCKET, Key=lost)
    damaged = picdesk(home, "check")
    assert damaged.returncode != 0 and lost in damaged.stdout, damaged.stdout

    archive = tmp_path / "site.tar"
    assert picdesk(home, "export", str(archive)).returncode == 0
    for bucket in (BUCKET, PUBLIC_BUCKET):
        for key in keys(object_storage, bucket):
            object_storage.delete_object(Bucket=bucket, Key=key)
    restored = picdesk(tmp_path / "restored", "restore", str(archive), database="restored")
    assert restored.returncode == 0, restored.stderr
    assert keys(object_storage, BUCKET) == [original]
    assert object_storage.head_object(Bucket=BUCKET, Key=original)["ContentLength"] == size


def test_pages_allow_images_from_the_buckets_and_nowhere_else(object_storage, client, editor):
    show = make_slideshow("Live", photos=[made_photo("Allowed.")])
    for response in (client.get(show.get_absolute_url()), editor.get("/desk/")):
        img_src = next(d for d in response["Content-Security-Policy"].split("; ") if d.startswith("img-src"))
        assert img_src == f"img-src 'self' data: {object_storage.endpoint}"



def test_a_slideshow_published_before_its_renditions_ends_with_every_one_public(object_storage, client):
    """Published while nothing is rendered (uploads queue their renditions):
    the worker that makes them copies them, and the page links the bucket."""
    from picdesk.photos.ingest import ingest_bytes
    from tests.factories import agency_jpeg
    from picdesk.photos.tasks import make_photo_modern_formats, make_photo_renditions

    photos = [ingest_bytes(agency_jpeg(f"Queued {n}.", width=800, height=600), f"q{n}.jpg").photo
              for n in range(3)]
    Rendition.objects.filter(photo__in=photos).delete()  # as a worker that has not got to them yet
    show = make_slideshow("Published first", photos=photos)
    page = client.get(show.get_absolute_url()).content.decode()
    assert object_storage.endpoint not in page  # nothing in the bucket yet
    for photo in photos:
        make_photo_renditions.call(photo.pk)
        make_photo_modern_formats.call(photo.pk)
    renditions = Rendition.objects.filter(photo__in=photos)
    assert renditions.count() > 20 and set(renditions.values_list("public", flat=True)) == {True}
    public = set(keys(object_storage, PUBLIC_BUCKET))
    assert all(f"r/{r.photo.public_key}/{r.width}.{EXTENSIONS[r.format]}" in public
               for r in renditions.select_related("photo"))
    page = client.get(show.get_absolute_url()).content.decode()  # purged when the copies were made
    assert f"{object_storage.endpoint}/{PUBLIC_BUCKET}/r/{photos[0].public_key}/" in page
