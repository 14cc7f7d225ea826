"""Slideshows, their slides (photos in order) and recurring series."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.text import slugify

from picdesk.photos.headlines import looks_like_file_name
from picdesk.photos.models import Photo


# Slugs that would shadow other reader URLs under /pictures/ (series pages,
# archive months and photo numbers are matched by shape, not by lookup).
RESERVED_SLUGS = {"series", "archive"}


def unique_slug(model, text: str, fallback: str, exclude_pk=None) -> str:
    """``slugify(text)``, made unique in ``model`` by a -2, -3... suffix, never
    all digits nor a reserved word."""
    base = slugify(text)[:200].strip("-") or fallback
    if base.isdigit():
        base = f"{fallback}-{base}"
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    # One query for every slug this one could collide with: a weekly series'
    # 500th slideshow would otherwise probe 500 times.
    taken = RESERVED_SLUGS | set(
        others.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


class Series(models.Model):
    """A recurring kind of slideshow, such as "Photos of the week"."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=220, unique=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Series, self.name, "series")
        super().save(*args, **kwargs)


def live_condition(path: str = "", now=None) -> Q:
    """The rule for what readers may see, on the slideshow at ``path`` (a
    lookup such as "slides__slideshow__", or "" for slideshows themselves):
    published or scheduled, and the publication time has come. Checking the
    time here, on every request, is what keeps an embargo even when the worker
    that flips scheduled to published is late."""
    return Q(**{
        f"{path}status__in": [Slideshow.Status.PUBLISHED, Slideshow.Status.SCHEDULED],
        f"{path}published_at__lte": now or timezone.now(),
    })


class SlideshowQuerySet(models.QuerySet):
    def live(self, now=None):
        """What readers may see (``live_condition``)."""
        return self.filter(live_condition(now=now))

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def published_in_month(self, year: int, month: int):
        """Those published in that calendar month (UTC). ValueError for a month
        that does not exist."""
        start = dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        return self.filter(published_at__gte=start, published_at__lt=end)


def live_photos(now=None):
    """The photos readers may see: those on a slide of a live slideshow. The
    one answer to "is this photo public?", for pages, images and the API.
    A join, not ``slideshow__in=Slideshow.objects.live()``: SQLite builds that
    subquery's whole list (every live slideshow) before each lookup, and this
    runs for every image a reader fetches."""
    return Photo.objects.filter(live_condition("slides__slideshow__", now))


def is_live(photo: Photo) -> bool:
    return live_photos().filter(pk=photo.pk).exists()


class Slideshow(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        SCHEDULED = "scheduled"  # published from published_at on: an embargo
        PUBLISHED = "published"
        UNPUBLISHED = "unpublished"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.TextField(blank=True)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="slideshows"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="Publication time shown to readers."
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, help_text="Set once; from then on the slug never changes."
    )
    cover = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Shown on cards and social posts; empty uses the first photo.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    numbered_slides = models.PositiveIntegerField(
        default=0, help_text="Slide numbers given out so far: a number is never given twice."
    )
    photos = models.ManyToManyField(Photo, through="Slide", related_name="slideshows")

    objects = SlideshowQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["-updated_at", "-id"], name="slideshow_by_change"),  # the desk's list
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Slideshow, self.title, "slideshow", exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """reader:slideshow's URL, formatted rather than reversed: a page lists
        it for every photo and card (tests/reader/test_pages.py checks the two
        agree)."""
        return f"{get_script_prefix()}pictures/{self.slug}/"

    def cover_slide(self) -> Slide | None:
        return self.cover_among(list(self.slides.select_related("photo")))

    def cover_among(self, slides: list[Slide]) -> Slide | None:
        """The cover's slide among ``slides`` (prefetched), else the first."""
        chosen = [slide for slide in slides if slide.photo_id == self.cover_id]
        return (chosen or slides or [None])[0]

    @property
    def slug_is_fixed(self) -> bool:
        """A published slug is in links and feeds out there: it never changes."""
        return self.first_published_at is not None


class Slide(models.Model):
    slideshow = models.ForeignKey(Slideshow, on_delete=models.CASCADE, related_name="slides")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="slides")
    position = models.PositiveIntegerField()
    # The photo page's address (/pictures/<slug>/<number>/), given when the
    # photo joins the slideshow and kept through reorders and removals, so a
    # link already shared never shows another picture.
    number = models.PositiveIntegerField()
    caption = models.TextField(
        blank=True, help_text="This slideshow's caption; empty uses the photo's own."
    )

    class Meta:
        ordering = ["slideshow", "position"]
        constraints = [
            models.UniqueConstraint(fields=["slideshow", "position"], name="one_slide_per_position"),
            models.UniqueConstraint(fields=["slideshow", "number"], name="one_slide_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.slideshow} #{self.position}"

    def get_absolute_url(self) -> str:
        """The photo page. Formatted, not reversed: a gallery lists hundreds."""
        return f"{self.slideshow.get_absolute_url()}{self.number}/"

    @property
    def display_caption(self) -> str:
        return self.caption or self.photo.caption

    @property
    def display_headline(self) -> str:
        """The photo's headline, or the slideshow's title where it has none or
        only a file name (readers never get "IMG_4021.JPG" as a heading)."""
        headline = self.photo.headline.strip()
        return self.slideshow.title if not headline or looks_like_file_name(headline) else headline


class RoutingRule(models.Model):
    """When a new photo's metadata matches, do something with it at once:
    put it in a draft slideshow, add keywords, put that draft in a series.
    Applied to every ingest channel (slideshows.routing)."""

    class Field(models.TextChoices):
        CREDIT = "credit"
        BYLINE = "byline", "by-line"
        KEYWORDS = "keywords"
        CITY = "city"
        COUNTRY = "country"
        JOB_ID = "job_id", "job id (original transmission reference)"

    name = models.CharField(max_length=200)
    field = models.CharField(max_length=20, choices=Field.choices)
    value = models.CharField(max_length=200, help_text="Matched case-insensitively: contained in the "
                             "field, or equal to one of the keywords.")
    add_to_draft = models.CharField(max_length=300, blank=True,
                                    help_text="Title of a draft slideshow to add the photo to (made if none).")
    add_keywords = models.CharField(max_length=500, blank=True, help_text="Comma-separated.")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text="The series of the draft slideshow it makes.")
    notify = models.BooleanField(default=False, help_text="Tell editors with the contact sheet open.")
    template = models.ForeignKey("slideshows.MetadataTemplate", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="A metadata template to apply to the photo.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Correction(models.Model):
    """A dated note readers see on a slideshow corrected after publication."""

    slideshow = models.ForeignKey(Slideshow, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.slideshow}: correction of {self.created_at:%Y-%m-%d}"


# Registered with the app here; it lives beside the code that takes it.
from picdesk.slideshows.deliveries import Delivery, Subscriber  # noqa: E402,F401
from picdesk.slideshows.names import DeskName  # noqa: E402,F401
from picdesk.slideshows.stationery import MetadataTemplate  # noqa: E402,F401
