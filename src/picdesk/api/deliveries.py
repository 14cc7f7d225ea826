"""Sending the deliveries slideshows.deliveries records, on the workers.

Each is built from the item's state when it is sent, as a ninjs document in
the subscriber's version: a live slideshow as its composite (a correction's
note in ``ednote``), anything else, and a killed photo, as a cancellation
(``pubstatus: canceled``; 3.x ``pubStatus``). A webhook gets it as a POST
signed with the subscriber's secret (``X-Picdesk-Signature: sha256=HMAC``
of the body); an FTP or SFTP push gets the slideshow's JPEGs (with their
IPTC rights) and the document as a ``.json`` sidecar (SFTP only to a server
whose host key has the fingerprint its address names).

Per subscriber and item they go out in order: one waits while an earlier one
is still to be sent, or has failed every retry (until it is resent). A
failure is retried after BACKOFF's next wait; after ``len(BACKOFF) + 1``
tries the delivery is failed: the desk's delivery page shows it, with resend.
"""

from __future__ import annotations

import base64
import ftplib
import hashlib
import hmac
import io
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import unquote, urljoin, urlsplit

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from picdesk.api.ninjs import MEDIA_TYPE, in_version, slideshow_document
from picdesk.core.config import setting
from picdesk.photos.renditions import ensure_rendition, largest_width
from picdesk.slideshows.deliveries import (CANCELED, CORRECTED, KILLED, Delivery, Subscriber, host_key_fingerprint,
                                          is_live)

logger = logging.getLogger(__name__)
BACKOFF = [timedelta(seconds=s) for s in (5, 30, 120, 600, 3600)]  # after each failure but the last
TIMEOUT_SECONDS = 10
BATCH = 100


class SiteAddress:
    """What the ninjs builders ask of a request, for a worker that has none:
    absolute addresses, from PICDESK_SITE_URL."""

    def __init__(self):
        self.base = setting("PICDESK_SITE_URL")
        if not self.base:
            raise DeliveryError("PICDESK_SITE_URL is not set: a delivery needs the site's public address")

    def build_absolute_uri(self, location: str) -> str:
        return urljoin(self.base, location)


class DeliveryError(Exception):
    pass


def document(delivery: Delivery, site: SiteAddress) -> dict:
    """The ninjs document ``delivery`` carries, in 2.2's names."""
    show = delivery.slideshow
    version_created = timezone.now().isoformat()
    if delivery.event == KILLED or show is None or not is_live(show):
        kind = "picture" if delivery.event == KILLED else "composite"
        body = {"uri": site.build_absolute_uri(delivery.item), "type": kind, "pubstatus": "canceled",
                "versioncreated": version_created}
        if delivery.event == KILLED:
            body["ednote"] = f"Withdrawn: {delivery.note}" if delivery.note else "Withdrawn."
        return body
    body = {**slideshow_document(site, show), "pubstatus": "usable", "version": str(delivery.pk)}
    if delivery.event == CORRECTED and delivery.note:
        body["ednote"] = f"Correction: {delivery.note}"
    return body


def send(delivery: Delivery) -> None:
    """Send ``delivery`` once; DeliveryError (or OSError) says why it failed."""
    site = SiteAddress()
    subscriber = delivery.subscriber
    body = json.dumps(in_version(document(delivery, site), subscriber.version), ensure_ascii=False).encode()
    if subscriber.kind == Subscriber.Kind.WEBHOOK:
        _post(delivery, body)
    elif subscriber.kind == Subscriber.Kind.SFTP:
        _sftp(delivery, body)
    else:
        _ftp(delivery, body)


def _post(delivery: Delivery, body: bytes) -> None:
    subscriber = delivery.subscriber
    signature = hmac.new(subscriber.secret.encode(), body, hashlib.sha256).hexdigest()
    content_type = MEDIA_TYPE if subscriber.version == "2.2" else f"{MEDIA_TYPE}; version={subscriber.version}"
    request = urllib.request.Request(subscriber.url, data=body, method="POST", headers={
        "Content-Type": content_type, "User-Agent": "picdesk deliveries",
        "X-Picdesk-Delivery": str(delivery.delivery_id), "X-Picdesk-Event": delivery.event,
        "X-Picdesk-Signature": f"sha256={signature}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"the receiver answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"the receiver cannot be reached: {getattr(exc, 'reason', exc)}") from None


def _files(delivery: Delivery, body: bytes):
    """(name, open file) of what a push sends: each photo's largest JPEG
    rendition (its pixels for publication, with its rights and caption;
    photos.privacy: nothing private travels), then the document as a sidecar."""
    from django.core.files.storage import default_storage

    if delivery.event not in (KILLED, CANCELED) and delivery.slideshow is not None:
        for slide in delivery.slideshow.slides.select_related("photo"):
            rendition = ensure_rendition(slide.photo, largest_width(slide.photo), "jpeg")  # made now if missing
            with default_storage.open(rendition.file, "rb") as data:
                yield f"{slide.photo.public_key}.jpg", data
    yield f"{delivery.item.rstrip('/').rsplit('/', 1)[-1]}.json", io.BytesIO(body)


def _ftp(delivery: Delivery, body: bytes) -> None:
    parts = urlsplit(delivery.subscriber.url)
    try:
        with ftplib.FTP(timeout=TIMEOUT_SECONDS) as ftp:
            ftp.connect(parts.hostname, parts.port or 21)
            ftp.login(unquote(parts.username or "anonymous"), unquote(parts.password or ""))
            if parts.path.strip("/"):
                ftp.cwd(unquote(parts.path))
            for name, data in _files(delivery, body):
                ftp.storbinary(f"STOR {name}", data)
    except (ftplib.Error, OSError) as exc:
        raise DeliveryError(f"FTP push failed: {exc}") from None


def _sftp(delivery: Delivery, body: bytes) -> None:
    """Over SSH, to a server whose host key has the fingerprint the address
    names (anything else is refused before a password is sent)."""
    import paramiko

    parts = urlsplit(delivery.subscriber.url)
    expected = host_key_fingerprint(delivery.subscriber.url)
    try:
        with paramiko.Transport((parts.hostname, parts.port or 22)) as transport:
            transport.banner_timeout = transport.auth_timeout = TIMEOUT_SECONDS
            transport.start_client(timeout=TIMEOUT_SECONDS)
            offered = "SHA256:" + base64.b64encode(
                hashlib.sha256(transport.get_remote_server_key().asbytes()).digest()).decode().rstrip("=")
            if offered != expected:
                raise DeliveryError(f"SFTP push refused: the server's host key is {offered}, not {expected}")
            transport.auth_password(unquote(parts.username or ""), unquote(parts.password or ""))
            with paramiko.SFTPClient.from_transport(transport) as sftp:
                folder = unquote(parts.path).rstrip("/")
                for name, data in _files(delivery, body):
                    sftp.putfo(data, f"{folder}/{name}" if folder else name)
    except (paramiko.SSHException, OSError) as exc:
        raise DeliveryError(f"SFTP push failed: {exc}") from None


def send_due(now=None) -> int:
    """Send every delivery that is due and first in line for its item;
    returns how many were sent. Each is taken under a row lock (others skip
    it), so two workers never send one twice at once."""
    now = now or timezone.now()
    earlier = Delivery.objects.filter(subscriber=OuterRef("subscriber"), item=OuterRef("item"),
                                      pk__lt=OuterRef("pk")).exclude(state=Delivery.State.DELIVERED)
    sent = 0
    while True:
        due = list(Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
                   .exclude(Exists(earlier)).order_by("pk").values_list("pk", flat=True)[:BATCH])
        sent_now = sum(_attempt(pk) for pk in due)
        sent += sent_now
        if not sent_now:  # else the next in line for each item may now go
            return sent


def _attempt(pk: int) -> bool:
    with transaction.atomic():
        # Only the delivery's row is locked: its slideshow is an outer join
        # (PostgreSQL refuses to lock that side) and needs no lock.
        delivery = (Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("subscriber", "slideshow").filter(pk=pk, state=Delivery.State.PENDING).first())
        if delivery is None:
            return False
        try:
            send(delivery)
        except DeliveryError as exc:
            _failed(delivery, str(exc))
            return False
        except Exception as exc:  # a fault of ours: on the record like any failure, and logged whole
            logger.exception("delivery %s could not be sent", delivery.delivery_id)
            _failed(delivery, f"{type(exc).__name__}: {exc}")
            return False
        delivery.state, delivery.delivered_at = Delivery.State.DELIVERED, timezone.now()
        delivery.attempts += 1
        delivery.last_error = ""
        delivery.save(update_fields=["state", "delivered_at", "attempts", "last_error"])
        return True


def _failed(delivery: Delivery, error: str) -> None:
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    if delivery.attempts > len(BACKOFF):
        delivery.state = Delivery.State.FAILED
        logger.error("delivery %s to %s failed every retry: %s", delivery.delivery_id, delivery.subscriber, error)
    else:
        delivery.next_attempt_at = timezone.now() + BACKOFF[delivery.attempts - 1]
        logger.warning("delivery %s to %s failed (attempt %d): %s", delivery.delivery_id, delivery.subscriber,
                       delivery.attempts, error)
    delivery.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    transaction.on_commit(lambda: queue_sending(at=delivery.next_attempt_at))


def queue_sending(at=None) -> None:
    """Queue the task that sends what is due (at ``at``: a retry's time)."""
    from picdesk.api.tasks import send_deliveries

    (send_deliveries.using(run_after=at) if at else send_deliveries).enqueue()


def deliveries_committed(ids: set) -> None:
    """The "delivery" effect (core.effects): send what the change recorded."""
    queue_sending()
