"""Push delivery to subscribers: who gets what, recorded with the change.

A subscriber (a partner's webhook, or an FTP server) wants the slideshows
that match its filter (a series, keywords, a credit, or all) in a ninjs
version. Every publication, update, correction, unpublication and kill of a
live slideshow *announces* itself here: one Delivery row per matching
subscriber, written in the change's own transaction (it cannot be lost, nor
sent for a change that rolled back), and the "delivery" effect after commit
sends them (api.deliveries, on the workers). A delivery's id is what the
receiver de-duplicates by; per subscriber and item they go out in the order
they were made.

The document is built when it is sent, from the state then: a delivery made
before a kill never carries the killed photo.
"""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import unquote, urlsplit

from django.db import models, transaction
from django.utils import timezone

from picdesk.audit.models import Actor, record
from picdesk.core import effects
from picdesk.core.roles import require_role

# What happened to an item.
PUBLISHED, UPDATED, CORRECTED, CANCELED, KILLED = "published", "updated", "corrected", "canceled", "killed"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class SubscriberError(ValueError):
    pass


class Subscriber(models.Model):
    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "HTTPS webhook"
        FTP = "ftp", "FTP push"
        SFTP = "sftp", "SFTP push"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WEBHOOK)
    url = models.CharField(max_length=500, help_text=(
        "https://… for a webhook; ftp://user:password@host/folder; "
        "sftp://user:password@host/folder?fingerprint=SHA256:… (the server's host key)"))
    secret = models.CharField(max_length=100, blank=True, help_text="The webhook's HMAC-SHA256 key.")
    series = models.ForeignKey("slideshows.Series", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    keywords = models.CharField(max_length=500, blank=True, help_text="Any of these keywords (comma-separated).")
    credit = models.CharField(max_length=200, blank=True, help_text="Photos with this credit.")
    version = models.CharField(max_length=5, default="2.2", choices=[("2.2", "ninjs 2.2"), ("3.1", "ninjs 3.1")])
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "slideshows"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, slideshow, photos) -> bool:
        """Whether ``slideshow`` (with ``photos``) passes this subscriber's filter."""
        if self.series_id and slideshow.series_id != self.series_id:
            return False
        wanted = {word.strip().casefold() for word in self.keywords.split(",") if word.strip()}
        if wanted and not any(wanted & {k.casefold() for k in photo.keywords} for photo in photos):
            return False
        return not self.credit or any(photo.credit.casefold() == self.credit.casefold() for photo in photos)


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed every retry"

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=10)
    slideshow = models.ForeignKey("slideshows.Slideshow", null=True, on_delete=models.SET_NULL, related_name="+")
    item = models.CharField(max_length=300, help_text="The item's API path: its ninjs uri.")
    note = models.TextField(blank=True, help_text="A correction's note, a kill's reason.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "slideshows"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
                   models.Index(fields=["subscriber", "item", "id"], name="delivery_order")]


def slideshow_item(slideshow) -> str:
    return f"/api/v1/slideshows/{slideshow.slug}"


def photo_item(photo) -> str:
    return f"/api/v1/photos/{photo.public_key}"


def announce(slideshow, event: str, *, note: str = "", item: str = "") -> int:
    """Record a delivery of ``event`` on ``slideshow`` (or on ``item``, a
    photo of it, for a kill) for each subscriber that wants it; returns how
    many. Sent once the change commits."""
    photos = [slide.photo for slide in slideshow.slides.select_related("photo")]
    item = item or slideshow_item(slideshow)
    made = [
        Delivery.objects.create(subscriber=subscriber, event=event, slideshow=slideshow, item=item, note=note[:5000])
        for subscriber in Subscriber.objects.filter(active=True).select_related("series")
        if subscriber.wants(slideshow, photos) and not (event == UPDATED and _update_waiting(subscriber, item))
    ]
    effects.declare("delivery", {delivery.pk for delivery in made})
    return len(made)


def _update_waiting(subscriber, item: str) -> bool:
    """Whether the last delivery of ``item`` to ``subscriber`` is still to be
    tried: built when sent, it will carry this update too (a bulk edit of 500
    photos is one delivery, not 500)."""
    last = subscriber.deliveries.filter(item=item).order_by("-pk").first()
    return last is not None and last.state == Delivery.State.PENDING and last.attempts == 0


def is_live(slideshow, now=None) -> bool:
    from picdesk.slideshows.models import Slideshow

    return slideshow.status == Slideshow.Status.PUBLISHED and slideshow.published_at <= (now or timezone.now())


def announce_update(photo_ids) -> None:
    """Every live slideshow showing one of ``photo_ids`` has changed."""
    from picdesk.slideshows.models import Slideshow

    for slideshow in Slideshow.objects.live().filter(slides__photo__in=photo_ids).distinct():
        announce(slideshow, UPDATED)


def check_address(kind: str, url: str) -> str:
    """``url`` if a subscriber of ``kind`` can be sent to it; else SubscriberError."""
    parts = urlsplit(url.strip())
    if kind == Subscriber.Kind.WEBHOOK:
        plain_here = parts.scheme == "http" and parts.hostname in LOOPBACK
        if not (parts.scheme == "https" or plain_here) or not parts.hostname:
            raise SubscriberError("a webhook is an https:// address (plain http only to this machine)")
    elif kind == Subscriber.Kind.SFTP:
        if parts.scheme != "sftp" or not parts.hostname or not host_key_fingerprint(url).startswith("SHA256:"):
            raise SubscriberError("an SFTP push is an sftp://user:password@host/folder?fingerprint=SHA256:… "
                                  "address: the fingerprint of the server's host key, which is checked on "
                                  "every connection")
    elif parts.scheme != "ftp" or not parts.hostname:
        raise SubscriberError("an FTP push is an ftp://user:password@host/folder address")
    return url.strip()


def host_key_fingerprint(url: str) -> str:
    """The ``fingerprint`` an sftp:// address names (as `ssh-keygen -lf` prints
    it; a "+" in it is a plus, not a space, as operators paste it)."""
    pairs = (part.partition("=") for part in urlsplit(url).query.split("&"))
    return next((unquote(value) for name, _, value in pairs if name == "fingerprint"), "")


@transaction.atomic
def save_subscriber(subscriber: Subscriber, *, by: Actor | None = None) -> Subscriber:
    """Add or change ``subscriber``, on the record; a webhook without a
    secret gets one (shown to the admin, who gives it to the partner)."""
    require_role(by, "admin")
    subscriber.url = check_address(subscriber.kind, subscriber.url)
    if subscriber.version not in ("2.2", "3.1"):
        raise SubscriberError("the ninjs version is 2.2 or 3.1")
    if subscriber.kind == Subscriber.Kind.WEBHOOK and not subscriber.secret:
        subscriber.secret = secrets.token_urlsafe(32)
    was_new = subscriber.pk is None
    subscriber.save()
    record(by, "added subscriber" if was_new else "changed subscriber", detail=subscriber.name)
    return subscriber


@transaction.atomic
def remove_subscriber(subscriber: Subscriber, *, by: Actor | None = None) -> None:
    require_role(by, "admin")
    record(by, "removed subscriber", detail=subscriber.name)
    subscriber.delete()


@transaction.atomic
def resend(delivery: Delivery, *, by: Actor | None = None) -> Delivery:
    """Send ``delivery`` again, now (the same id: a receiver that has it
    ignores it), on the record."""
    require_role(by, "editor")
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, next_attempt_at=timezone.now(),
                                                   attempts=0, last_error="")
    record(by, "resent delivery", slideshow=delivery.slideshow,
           detail=f"{delivery.event} to {delivery.subscriber.name} ({delivery.delivery_id})")
    effects.declare("delivery", {delivery.pk})
    delivery.refresh_from_db()
    return delivery
