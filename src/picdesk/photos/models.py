"""Photos (an original plus what its metadata says) and their renditions."""

from __future__ import annotations

import re
import secrets
from dataclasses import fields

from django.db import models

from picdesk.photos import provenance
from picdesk.photos.headlines import looks_like_file_name
from picdesk.photos.metadata import PhotoMetadata
from picdesk.photos.storage_names import rendition_url

METADATA_FIELDS = [f.name for f in fields(PhotoMetadata) if f.name != "sources"]
# The editor's marks on a frame (photos.marks): read from the file like the
# rest, but set by culling (photos.culling), not by the metadata form.
MARKS = ("rating", "color_class", "pick")
# The record's list of by-lines is one text field on the photo.
MODEL_FIELD = {"bylines": "byline"}
# The photo's own field for each of them, in the same order.
PHOTO_METADATA_FIELDS = [MODEL_FIELD.get(name, name) for name in METADATA_FIELDS]


FREE_TO_REUSE = re.compile(r"\b(CC0|CC[ -]BY|Creative Commons|public domain)\b", re.IGNORECASE)


def new_public_key() -> str:
    # Rendition URLs carry this random key rather than an id or the content hash,
    # so nobody can guess the image URLs of a photo that is not public yet.
    return secrets.token_urlsafe(16)


class PhotoQuerySet(models.QuerySet):
    def in_use(self):
        """Photos that are not killed."""
        return self.filter(killed_at__isnull=True)


class Photo(models.Model):
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    original = models.CharField(max_length=255, help_text="Path of the original in storage.")
    original_name = models.CharField(max_length=255, blank=True)
    mime_type = models.CharField(max_length=40)
    file_size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(help_text="As displayed, after EXIF orientation.")
    height = models.PositiveIntegerField()
    orientation = models.PositiveSmallIntegerField(default=1)
    public_key = models.CharField(max_length=32, unique=True, default=new_public_key)
    placeholder = models.TextField(blank=True, help_text="Tiny blurred preview, a data URI.")
    focus = models.JSONField(
        null=True, blank=True, help_text="What crops keep: see photos.crops.Focus."
    )
    crop_boxes = models.JSONField(
        default=dict, blank=True, help_text="Aspect -> the box an editor chose for it: see photos.crops.")
    imported_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=20, blank=True, help_text="How it arrived: cli, desk, api, ftp, ...")
    sender = models.CharField(max_length=200, blank=True, help_text="What else names who sent it: an API token, a rule.")
    killed_at = models.DateTimeField(
        null=True, blank=True, db_index=True,
        help_text="Withdrawn: shown nowhere, its original kept in quarantine.",
    )
    kill_reason = models.TextField(blank=True)

    headline = models.TextField(blank=True)
    caption = models.TextField(blank=True)
    title = models.TextField(blank=True)
    byline = models.TextField(blank=True)
    credit = models.TextField(blank=True)
    source = models.TextField(blank=True)
    copyright_notice = models.TextField(blank=True)
    city = models.TextField(blank=True)
    sublocation = models.TextField(blank=True)
    state = models.TextField(blank=True)
    country_code = models.CharField(max_length=10, blank=True)
    country = models.TextField(blank=True)
    job_id = models.TextField(blank=True)
    instructions = models.TextField(blank=True)
    alt_text = models.TextField(blank=True)
    usage_terms = models.TextField(blank=True)
    digital_source_type = models.CharField(
        max_length=200, blank=True, help_text="IPTC Digital Source Type URI, as the file's XMP gives it."
    )
    credentials = models.JSONField(
        default=dict, blank=True, help_text="The C2PA manifest as validated on import: provenance.Credentials."
    )
    byline_title = models.TextField(blank=True)
    description_writer = models.TextField(blank=True)
    event = models.TextField(blank=True)
    intellectual_genre = models.TextField(blank=True)
    web_statement = models.TextField(blank=True, help_text="Web Statement of Rights: a URL.")
    copyright_owner = models.TextField(blank=True)
    licensor_name = models.TextField(blank=True)
    licensor_url = models.TextField(blank=True)
    model_release_status = models.TextField(blank=True, help_text="A PLUS URI: MR-NON, MR-NAP, MR-UMR, MR-LMR.")
    property_release_status = models.TextField(blank=True, help_text="A PLUS URI: PR-NON, PR-NAP, PR-UPR, PR-LPR.")
    ai_system = models.TextField(blank=True)
    ai_system_version = models.TextField(blank=True)
    ai_prompt = models.TextField(blank=True)
    ai_prompt_writer = models.TextField(blank=True)
    extended_description = models.TextField(blank=True)
    data_mining = models.TextField(blank=True, help_text="A PLUS URI: DMI-ALLOWED, DMI-PROHIBITED, ...")
    other_constraints = models.TextField(blank=True)
    image_supplier = models.TextField(blank=True)
    image_creator = models.TextField(blank=True)
    digital_image_guid = models.TextField(blank=True)
    # IPTC's structures, the first item of each (photos.iptc_fields).
    creator_address = models.TextField(blank=True)
    creator_city = models.TextField(blank=True)
    creator_region = models.TextField(blank=True)
    creator_postcode = models.TextField(blank=True)
    creator_country = models.TextField(blank=True)
    creator_email = models.TextField(blank=True)
    creator_phone = models.TextField(blank=True)
    creator_url = models.TextField(blank=True)
    location_created_name = models.TextField(blank=True)
    location_created_sublocation = models.TextField(blank=True)
    location_created_city = models.TextField(blank=True)
    location_created_state = models.TextField(blank=True)
    location_created_country = models.TextField(blank=True)
    location_created_country_code = models.TextField(blank=True)
    location_created_world_region = models.TextField(blank=True)
    location_shown_name = models.TextField(blank=True)
    location_shown_sublocation = models.TextField(blank=True)
    location_shown_city = models.TextField(blank=True)
    location_shown_state = models.TextField(blank=True)
    location_shown_country = models.TextField(blank=True)
    location_shown_country_code = models.TextField(blank=True)
    location_shown_world_region = models.TextField(blank=True)
    artwork_title = models.TextField(blank=True)
    artwork_date = models.TextField(blank=True)
    artwork_source = models.TextField(blank=True)
    artwork_inventory_number = models.TextField(blank=True)
    artwork_copyright_notice = models.TextField(blank=True)
    person_name = models.TextField(blank=True)
    person_description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    persons_shown = models.JSONField(default=list, blank=True)
    organisations_shown = models.JSONField(default=list, blank=True)
    artwork_creators = models.JSONField(default=list, blank=True)
    bylines = models.JSONField(
        default=list, blank=True, help_text="The file's creators, one by-line each; written back while `byline` is "
        "still their join (the desk edits `byline`)."
    )
    date_created = models.CharField(max_length=40, blank=True)
    camera_time = models.CharField(max_length=40, blank=True)
    camera_serial = models.CharField(max_length=80, blank=True, help_text="Read for bursts; never published.")
    picture_hash = models.CharField(
        max_length=64, blank=True, help_text="Difference hashes of the picture (imaging.picture_hash): near-duplicates."
    )
    rating = models.PositiveSmallIntegerField(default=0, help_text="Stars, 0 to 5: photos.marks.")
    color_class = models.PositiveSmallIntegerField(default=0, help_text="Photo Mechanic's class, 0 to 8.")
    pick = models.SmallIntegerField(default=0, help_text="1 picked, -1 rejected, 0 neither.")
    metadata_sources = models.JSONField(
        default=dict, blank=True, help_text="Field name -> IIM, XMP, EXIF or edited."
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        # The contact sheet's filters, each in its newest-first order (desk.views.photos).
        indexes = [
            models.Index(fields=["byline", "-id"], name="photo_by_photographer"),
            models.Index(fields=["date_created", "-id"], name="photo_by_date_taken"),
            models.Index(fields=["original"], name="photo_by_original"),  # `picdesk check`'s orphans
            models.Index(fields=["rating", "-id"], name="photo_by_rating"),
            models.Index(fields=["color_class", "-id"], name="photo_by_color_class"),
            models.Index(fields=["pick", "-id"], name="photo_by_pick"),
        ]

    def __str__(self) -> str:
        return self.headline or self.title or self.original_name or self.sha256[:12]

    def apply_metadata(self, meta: PhotoMetadata) -> None:
        for name in METADATA_FIELDS:
            value = meta.byline if name == "bylines" else getattr(meta, name)
            setattr(self, MODEL_FIELD.get(name, name), value)
        self.bylines = list(meta.bylines)
        # Keyed by the photo's field names, as the desk's edits are.
        self.metadata_sources = {MODEL_FIELD.get(name, name): source for name, source in meta.sources.items()}

    def as_metadata(self) -> PhotoMetadata:
        """What the desk says of the photo now, every field and mark, as a
        file's metadata (the inverse of ``apply_metadata``)."""
        meta = PhotoMetadata(**{name: getattr(self, MODEL_FIELD.get(name, name)) for name in METADATA_FIELDS
                                if name != "bylines"})
        # Several creators stay several (IIM 2:80 and dc:creator repeat) while
        # the by-line is still theirs; once edited, it is one creator as typed.
        meta.bylines = (self.bylines if ", ".join(self.bylines or []) == self.byline and self.bylines
                        else [self.byline] if self.byline else [])
        return meta

    @property
    def content_credentials(self) -> provenance.Credentials:
        return provenance.Credentials.from_dict(self.credentials)

    @property
    def source_type(self) -> str:
        """The Digital Source Type readers are told: the most disclosing of what
        the XMP and the C2PA manifest claim."""
        return provenance.most_disclosing([self.digital_source_type, self.credentials.get("source_type", "")])

    @property
    def source_label(self) -> str:
        """"AI-generated", "Composite", ...: shown beside the photo wherever it
        appears; "" for a photograph readers need not be warned about."""
        return provenance.disclosure_label(self.source_type)

    @property
    def credit_line(self) -> str:
        """``CREDIT/By-line`` (agency style), or whichever of the two exists; a
        photographer who is their own credit is named once."""
        if self.credit == self.byline:
            return self.credit
        return "/".join(part for part in (self.credit, self.byline) if part)

    @property
    def downloadable(self) -> bool:
        """Whether readers may download it: only where its rights statement
        grants reuse (a Creative Commons licence, CC0, the public domain)."""
        terms = f"{self.usage_terms} {self.copyright_notice}"
        return bool(FREE_TO_REUSE.search(terms))

    @property
    def alt(self) -> str:
        """Text alternative: the alt text, else the headline (never a file
        name, which tells a screen reader's user nothing), else the caption's start."""
        if self.alt_text:
            return self.alt_text
        if self.headline and not looks_like_file_name(self.headline):
            return self.headline
        first_sentence = self.caption.split(". ")[0]
        return first_sentence[:150]


class Rendition(models.Model):
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=8)  # jpeg, webp or avif
    crop = models.CharField(max_length=10, blank=True, help_text="Aspect name, empty for none.")
    file = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    public = models.BooleanField(default=False, help_text="A copy is in the public bucket (photos.public).")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "crop", "width", "format"], name="one_rendition_per_size"
            )
        ]
        ordering = ["photo", "crop", "format", "width"]
        indexes = [models.Index(fields=["file"], name="rendition_by_file")]  # `picdesk check`'s orphans

    def __str__(self) -> str:
        return f"{self.photo_id} {self.crop or 'full'} {self.width}w {self.format}"

    @property
    def url(self) -> str:
        return rendition_url(self.photo, self.width, self.format, self.crop)


# Registered with the app here; it lives beside the code that takes it.
from picdesk.photos.codes import CodeReplacement  # noqa: E402,F401
from picdesk.photos.rights import RestrictionPhrase, RightsLease  # noqa: E402,F401
from picdesk.photos.locks import RenditionLock  # noqa: E402,F401
from picdesk.photos.near_copies import HashBand, NearCopy  # noqa: E402,F401
