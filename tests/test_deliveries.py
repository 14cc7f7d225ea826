"""Push delivery to subscribers, against real receivers started here: an HTTP
server checking each webhook's signature, and an FTP server. Publication,
correction, kill and unpublication each reach them, signed, in order per
item, retried after a failure, as ninjs valid in the subscriber's version."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from picdesk.api.deliveries import BACKOFF, send_due
from picdesk.audit.models import Actor
from picdesk.slideshows.deliveries import Delivery, Subscriber, SubscriberError, save_subscriber
from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.models import Series
from picdesk.slideshows.publishing import correct, create_slideshow, unpublish
from tests.api.test_ninjs import errors, validator_of
from tests.factories import make_jpeg, make_photo

pytestmark = pytest.mark.django_db
SITE = "https://pictures.example"


class Receiver:
    """A partner's webhook: records each POST (and when it came, in
    ``arrived_at``); answers ``failures`` 500s first."""

    def __init__(self):
        self.received, self.arrived_at, self.failures = [], [], 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failures:
                    receiver.failures -= 1
                    self.send_response(500)
                else:
                    receiver.received.append((dict(self.headers), body))
                    receiver.arrived_at.append(time.time())
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/picdesk"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def documents(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setenv("PICDESK_SITE_URL", SITE)
    found = Receiver()
    yield found
    found.server.shutdown()


def subscribe(receiver, **fields) -> Subscriber:
    return save_subscriber(Subscriber(name=fields.pop("name", "partner"), url=receiver.url, **fields),
                           by=Actor("cli"))


def changed(django_capture_on_commit_callbacks, change):
    """``change()`` committed, as a request commits it (its effects run)."""
    with django_capture_on_commit_callbacks(execute=True):
        return change()


def test_a_publication_reaches_the_subscriber_signed_and_valid(receiver, django_capture_on_commit_callbacks):
    partner = subscribe(receiver)
    show = changed(django_capture_on_commit_callbacks,
                   lambda: create_slideshow("Floods", [make_photo("Rivers rose.")], publish=True))
    assert send_due() == 1
    ((headers, body),) = receiver.received
    expected = hmac.new(partner.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Picdesk-Signature"] == f"sha256={expected}"
    assert headers["X-Picdesk-Event"] == "published" and headers["Content-Type"] == "application/ninjs+json"
    assert headers["X-Picdesk-Delivery"] == str(Delivery.objects.get().delivery_id)
    document = json.loads(body)
    assert errors(validator_of("2.2"), document) == []
    assert document["uri"] == f"{SITE}/api/v1/slideshows/{show.slug}" and document["pubstatus"] == "usable"
    assert document["associations"][0]["descriptions"] == [{"value": "Rivers rose."}]
    assert Delivery.objects.get().state == Delivery.State.DELIVERED


def test_a_failure_is_retried_after_its_backoff_with_the_same_id(receiver, django_capture_on_commit_callbacks):
    subscribe(receiver)
    receiver.failures = 1
    changed(django_capture_on_commit_callbacks, lambda: create_slideshow("Retried", [make_photo()], publish=True))
    assert send_due() == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 1)
    assert "500" in delivery.last_error and delivery.next_attempt_at > timezone.now() + BACKOFF[0] / 2
    assert send_due() == 0  # not due yet
    assert send_due(timezone.now() + BACKOFF[0]) == 1
    ((headers, _),) = receiver.received
    assert headers["X-Picdesk-Delivery"] == str(delivery.delivery_id)


def test_after_every_retry_a_delivery_is_failed_and_shown_on_the_desk(receiver, editor,
                                                                     django_capture_on_commit_callbacks):
    subscribe(receiver)
    receiver.failures = len(BACKOFF) + 1
    changed(django_capture_on_commit_callbacks, lambda: create_slideshow("Failing", [make_photo()], publish=True))
    for _ in range(len(BACKOFF) + 1):  # each try when its backoff is over
        send_due(Delivery.objects.get().next_attempt_at)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, len(BACKOFF) + 1)
    page = editor.get("/desk/deliveries/").content.decode()
    assert "Failed every retry" in page and "answered 500" in page and "Failing" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(f"/desk/deliveries/{delivery.pk}/resend/").status_code == 302
    assert send_due() == 1 and len(receiver.received) == 1


# ninjs 2.2 names in lower case what 3.x writes in camel case.
NAMES = {"2.2": {"pubStatus": "pubstatus", "edNote": "ednote"}, "3.1": {}}


@pytest.mark.parametrize("version", ["2.2", "3.1"])
def test_a_kill_a_correction_and_an_unpublication_follow_in_order(receiver, django_capture_on_commit_callbacks,
                                                                    version):
    subscribe(receiver, version=version)
    pub_status, ed_note = (NAMES[version].get(name, name) for name in ("pubStatus", "edNote"))
    keep, killed = make_photo("Stays."), make_photo("Withdrawn later.")
    show = changed(django_capture_on_commit_callbacks, lambda: create_slideshow("Story", [keep, killed], publish=True))
    killed_uri = f"{SITE}/api/v1/photos/{killed.public_key}"
    receiver.failures = 1  # the publication fails first: nothing after it for the slideshow goes before it
    changed(django_capture_on_commit_callbacks, lambda: correct(show, "The date was wrong."))
    changed(django_capture_on_commit_callbacks, lambda: kill_photo(killed, "Manipulated."))
    send_due()
    # The kill advisory is another item (the photo): it does not wait.
    assert [d["uri"] for d in receiver.documents()] == [killed_uri]
    send_due(timezone.now() + BACKOFF[0])
    changed(django_capture_on_commit_callbacks, lambda: unpublish(show))
    send_due()
    events = [headers["X-Picdesk-Event"] for headers, _ in receiver.received]
    # The kill's update of the slideshow joined the correction still waiting to be sent.
    assert events == ["killed", "published", "corrected", "canceled"]
    validator = validator_of(version)
    documents = receiver.documents()
    assert all(errors(validator, document) == [] for document in documents)
    advisory, published, corrected, canceled = documents
    assert (advisory["type"], advisory[pub_status]) == ("picture", "canceled")
    assert advisory[ed_note] == "Withdrawn: Manipulated."
    # Built when sent: even the publication, made before the kill, no longer carries the photo.
    assert [len(d["associations"]) for d in (published, corrected)] == [1, 1]
    assert corrected[ed_note] == "Correction: The date was wrong."
    assert canceled[pub_status] == "canceled" and canceled["uri"] == f"{SITE}/api/v1/slideshows/{show.slug}"


def test_each_subscriber_gets_what_its_filter_asks_for(receiver, django_capture_on_commit_callbacks):
    sport = Series.objects.create(name="Sport")
    subscribe(receiver, name="everything")
    subscribe(receiver, name="sport", series=sport)
    subscribe(receiver, name="wire", credit="WIRE")
    subscribe(receiver, name="floods", keywords="flood, rain")
    flood = make_photo("Water.", credit="WIRE")
    flood.keywords = ["Flood"]
    flood.save()

    def publish_both():
        create_slideshow("Match day", [make_photo("A goal.")], publish=True, series=sport)
        create_slideshow("Floods", [flood], publish=True)

    changed(django_capture_on_commit_callbacks, publish_both)
    wanted = {(d.subscriber.name, d.slideshow.title) for d in Delivery.objects.select_related("subscriber", "slideshow")}
    assert wanted == {("everything", "Match day"), ("everything", "Floods"), ("sport", "Match day"),
                      ("wire", "Floods"), ("floods", "Floods")}


def test_drafts_and_schedules_deliver_nothing_until_live(receiver, django_capture_on_commit_callbacks):
    subscribe(receiver)
    changed(django_capture_on_commit_callbacks, lambda: create_slideshow("Draft", [make_photo()]))
    changed(django_capture_on_commit_callbacks, lambda: create_slideshow(
        "Later", [make_photo()], publish=True, published_at=timezone.now() + dt.timedelta(hours=1)))
    assert not Delivery.objects.exists()


def test_webhooks_are_https_and_get_a_secret():
    with pytest.raises(SubscriberError, match="https"):
        save_subscriber(Subscriber(name="plain", url="http://partner.example/hook"), by=Actor("cli"))
    partner = save_subscriber(Subscriber(name="partner", url="https://partner.example/hook"), by=Actor("cli"))
    assert len(partner.secret) >= 32


def test_an_ftp_push_sends_the_jpegs_and_a_ninjs_sidecar(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer

    monkeypatch.setenv("PICDESK_SITE_URL", SITE)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    authorizer = DummyAuthorizer()
    authorizer.add_user("partner", "s3cret", str(inbox), perm="elradfmw")
    handler = type("Handler", (FTPHandler,), {"authorizer": authorizer})
    server = ThreadedFTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.2}, daemon=True).start()
    try:
        port = server.socket.getsockname()[1]
        save_subscriber(Subscriber(name="print", kind="ftp", url=f"ftp://partner:s3cret@127.0.0.1:{port}/"),
                        by=Actor("cli"))
        photo = make_photo("Printed.", width=600, height=400)
        show = changed(django_capture_on_commit_callbacks, lambda: create_slideshow("On paper", [photo], publish=True))
        assert send_due() == 1
    finally:
        server.close_all()
    sidecar = json.loads((inbox / f"{show.slug}.json").read_text())
    assert errors(validator_of("2.2"), sidecar) == [] and sidecar["headlines"] == [{"value": "On paper"}]
    jpeg = (inbox / f"{photo.public_key}.jpg").read_bytes()
    assert jpeg.startswith(b"\xff\xd8") and b"Printed." in jpeg  # its caption travels in its metadata


def test_a_kill_reaches_a_subscriber_within_5_seconds_on_the_embedded_default(tmp_path):
    """`picdesk serve` as a newcomer runs it (the database queue, its own
    worker): the kill advisory is at the partner's webhook in under 5 s from
    the kill's commit (as when an editor kills a photo on the desk; the
    start-up of the command the test kills it with is not the system's)."""
    import os
    import signal
    import subprocess
    import sys
    import uuid

    from tests.test_cli import free_port, picdesk, picdesk_env
    from tests.waiting import wait_for

    receiver, home, photo = Receiver(), tmp_path / "home", tmp_path / "photo.jpg"
    # Its own name and credit: on PostgreSQL, every picdesk home of the suite shares one database.
    name, credit = f"partner-{uuid.uuid4().hex[:8]}", f"WIRE {uuid.uuid4().hex[:8]}"
    photo.write_bytes(make_jpeg(xmp={"Xmp.photoshop.Credit": credit}))
    env = picdesk_env(PICDESK_SITE_URL=SITE)
    assert picdesk(home, "subscribers", "add", name, receiver.url, "--credit", credit).returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port",
                               str(free_port())], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        assert picdesk(home, "import", str(photo), "--slideshow", "Live", "--publish").returncode == 0
        wait_for(lambda: receiver.received, "the publication never arrived", 60)
        killed = picdesk(home, "manage", "shell", "-c", "import time\nfrom picdesk.photos.models import Photo\n"
                         "from picdesk.slideshows.kills import kill_photo\n"
                         f"kill_photo(Photo.objects.get(credit={credit!r}), 'Manipulated.')\nprint(time.time())")
        assert killed.returncode == 0, killed.stderr
        committed = float(killed.stdout.split()[-1])
        wait_for(lambda: any(h["X-Picdesk-Event"] == "killed" for h, _ in receiver.received),
                 "the kill advisory never arrived", 30, every=0.02)
        arrived = next(at for (headers, _), at in zip(receiver.received, receiver.arrived_at)
                       if headers["X-Picdesk-Event"] == "killed")
        took = arrived - committed
        print(f"kill advisory at the subscriber {took:.2f} s after the kill was committed")
        assert took < 5
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        picdesk(home, "subscribers", "remove", name)
        receiver.server.shutdown()


def test_an_sftp_push_checks_the_host_key_then_sends(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    from tests.sftp import SftpServer

    monkeypatch.setenv("PICDESK_SITE_URL", SITE)
    inbox = tmp_path / "inbox"
    (inbox / "pictures").mkdir(parents=True)
    server = SftpServer(inbox, "partner", "s3cret")
    try:
        address = f"sftp://partner:s3cret@127.0.0.1:{server.port}/pictures"
        with pytest.raises(SubscriberError, match="fingerprint"):
            save_subscriber(Subscriber(name="unpinned", kind="sftp", url=address), by=Actor("cli"))
        save_subscriber(Subscriber(name="pinned", kind="sftp", url=f"{address}?fingerprint={server.fingerprint}"),
                        by=Actor("cli"))
        save_subscriber(Subscriber(name="impostor", kind="sftp", url=f"{address}?fingerprint=SHA256:{'A' * 43}"),
                        by=Actor("cli"))
        photo = make_photo("Sent securely.", width=600, height=400)
        show = changed(django_capture_on_commit_callbacks, lambda: create_slideshow("Over SSH", [photo], publish=True))
        assert send_due() == 1
    finally:
        server.close()
    sidecar = json.loads((inbox / "pictures" / f"{show.slug}.json").read_text())
    assert errors(validator_of("2.2"), sidecar) == []
    assert (inbox / "pictures" / f"{photo.public_key}.jpg").read_bytes().startswith(b"\xff\xd8")
    impostor = Delivery.objects.get(subscriber__name="impostor")
    assert impostor.state == Delivery.State.PENDING and "host key is SHA256:" in impostor.last_error


def test_updates_waiting_to_be_sent_are_one_delivery(receiver, django_capture_on_commit_callbacks):
    """A bulk edit of every photo of a live slideshow: one update goes out,
    built when sent, with every edit in it."""
    from picdesk.slideshows.metadata_edits import save_edits

    subscribe(receiver)
    photos = [make_photo(f"Photo {n}.") for n in range(3)]
    changed(django_capture_on_commit_callbacks, lambda: create_slideshow("Edited", photos, publish=True))
    send_due()

    def edit_all():
        for photo in photos:
            save_edits(photo, {"credit": "DESK"})

    changed(django_capture_on_commit_callbacks, edit_all)
    assert Delivery.objects.filter(event="updated").count() == 1
    send_due()
    update = receiver.documents()[-1]
    assert [picture["by"] for picture in update["associations"]] == ["Jane Doe"] * 3
    assert len(receiver.received) == 2


def test_the_command_line_adds_lists_changes_and_removes_a_subscriber(tmp_path):
    """An operator's whole round: the secret printed once, a new one on
    demand (the old one then signs nothing), filters changed, on the record."""
    import uuid

    from tests.test_cli import picdesk, picdesk_shell

    home, name = tmp_path / "home", f"partner-{uuid.uuid4().hex[:8]}"
    added = picdesk(home, "subscribers", "add", name, "https://partner.example/hook", "--credit", "AFP")
    assert added.returncode == 0, added.stderr
    first = added.stdout.rsplit(": ", 1)[1].strip()
    listed = picdesk(home, "subscribers", "list").stdout
    assert f"{name}\twebhook\thttps://partner.example/hook\tninjs 2.2\tcredit AFP\t" in listed
    changed = picdesk(home, "subscribers", "change", name, "--credit", "", "--keywords", "storm",
                      "--ninjs", "3.1", "--new-secret")
    assert changed.returncode == 0, changed.stderr
    second = changed.stdout.rsplit(": ", 1)[1].strip()
    assert len(second) > 30 and second != first
    stored = picdesk_shell(home, "from picdesk.slideshows.deliveries import Subscriber; "
                                 f"s = Subscriber.objects.get(name={name!r}); print(s.secret == {second!r}, s.credit, s.keywords, s.version)")
    assert stored == "True  storm 3.1"
    kept = picdesk(home, "subscribers", "change", name, "--url", "https://partner.example/new-hook")
    assert kept.returncode == 0 and "secret" not in kept.stdout  # the secret stays and is not shown again
    unknown = picdesk(home, "subscribers", "change", "nobody", "--credit", "X")
    assert unknown.returncode != 0 and "no subscriber is named 'nobody'" in unknown.stderr
    actions = picdesk_shell(home, "from picdesk.audit.models import AuditEntry; print(list(AuditEntry.objects"
                                  f".filter(detail__startswith={name!r}).order_by('pk').values_list('action', flat=True)))")
    assert actions == "['added subscriber', 'changed subscriber', 'changed subscriber']"
    assert picdesk(home, "subscribers", "remove", name).returncode == 0
    assert name not in picdesk(home, "subscribers", "list").stdout
