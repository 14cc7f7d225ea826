"""Slideshows, their slides (photos in order) and recurring series."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from picdesk.photos.models import Photo


# Slugs that would shadow other reader URLs under /pictures/ (series pages,
# archive months and photo numbers are matched by shape, not by lookup).
RESERVED_SLUGS = {"series"}


def unique_slug(model, text: str, fallback: str) -> str:
    """``slugify(text)``, made unique in ``model`` by a -2, -3... suffix, never
    all digits nor a reserved word."""
    base = slugify(text)[:200].strip("-") or fallback
    if base.isdigit():
        base = f"{fallback}-{base}"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
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


class SlideshowQuerySet(models.QuerySet):
    def live(self, now=None):
        """What readers may see: published, and the publication time has come."""
        return self.filter(
            status=Slideshow.Status.PUBLISHED, published_at__lte=now or timezone.now()
        )

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def published_in_month(self, year: int, month: int):
        """Those published in that calendar month (UTC). ValueError for a month
        that does not exist."""
        start = dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        return self.filter(published_at__gte=start, published_at__lt=end)


class Slideshow(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    photos = models.ManyToManyField(Photo, through="Slide", related_name="slideshows")

    objects = SlideshowQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Slideshow, self.title, "slideshow")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reader:slideshow", kwargs={"slug": self.slug})

    def cover_slide(self) -> Slide | None:
        return self.slides.select_related("photo").first()


class Slide(models.Model):
    slideshow = models.ForeignKey(Slideshow, on_delete=models.CASCADE, related_name="slides")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="slides")
    position = models.PositiveIntegerField()
    caption = models.TextField(
        blank=True, help_text="This slideshow's caption; empty uses the photo's own."
    )

    class Meta:
        ordering = ["slideshow", "position"]
        constraints = [
            models.UniqueConstraint(fields=["slideshow", "position"], name="one_slide_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.slideshow} #{self.position}"

    @property
    def display_caption(self) -> str:
        return self.caption or self.photo.caption
