"""The desk's forms. Django's forms do the validation and the escaping; the
templates render them field by field with labels, so they stay accessible."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.validators import MaxLengthValidator
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from picdesk.desk.models import DeskProfile

from picdesk.photos import provenance
from picdesk.photos.metadata import limit_of
from picdesk.photos.models import MARKS, PHOTO_METADATA_FIELDS, Photo
from picdesk.core.roles import ROLES
from picdesk.slideshows.metadata_edits import split_list
from picdesk.slideshows.models import RoutingRule, Series, Slideshow
from picdesk.slideshows.stationery import MODES, TEMPLATE_FIELDS, MetadataTemplate, TemplateError, check

LIST_FIELDS = {"keywords", "persons_shown", "organisations_shown", "artwork_creators"}
LONG_FIELDS = {"caption", "instructions", "usage_terms", "alt_text", "copyright_notice", "ai_prompt",
               "extended_description", "other_constraints", "person_description"}
# Fields the desk shows but does not edit: they describe the capture itself.
READ_ONLY_FIELDS = {"camera_time", "camera_serial"}
LABELS = {
    "byline": "By-line", "persons_shown": "People shown", "job_id": "Job id (transmission reference)",
    "country_code": "Country code", "alt_text": "Alt text", "usage_terms": "Usage terms",
    "copyright_notice": "Copyright notice", "date_created": "Date created",
    "byline_title": "By-line title", "description_writer": "Caption writer", "intellectual_genre": "Genre",
    "web_statement": "Web statement of rights", "copyright_owner": "Copyright owner",
    "licensor_name": "Licensor", "licensor_url": "Licensor URL", "model_release_status": "Model release",
    "property_release_status": "Property release", "ai_system": "AI system used",
    "ai_system_version": "AI system version", "ai_prompt": "AI prompt", "ai_prompt_writer": "AI prompt writer",
    "organisations_shown": "Organisations shown", "digital_source_type": "Digital source type",
    "extended_description": "Extended description", "data_mining": "Data mining",
    "other_constraints": "Other constraints", "image_supplier": "Image supplier", "image_creator": "Image creator",
    "digital_image_guid": "Digital image GUID", "creator_url": "Creator web address",
    "creator_region": "Creator state or province", "location_created_name": "Location created",
    "location_shown_name": "Location shown", "location_created_state": "Location created state or province",
    "location_shown_state": "Location shown state or province", "artwork_creators": "Artwork creators",
    "person_name": "Person shown in detail", "person_description": "Person description",
}
# The photo page's sections, as IPTC's user guide groups its fields: what a
# caption needs, then credit and rights, then IPTC's structures, which
# start folded while they hold nothing. A field in none is in the last.
FOLDING = {"Location created", "Location shown", "Creator's contact details", "Artwork or object shown",
           "Person shown in detail"}
GROUPS = [
    ("Caption", ["headline", "caption", "title", "alt_text", "extended_description", "keywords", "persons_shown",
                 "organisations_shown", "event", "intellectual_genre", "date_created", "job_id", "instructions"]),
    ("Credit and rights", ["byline", "byline_title", "credit", "source", "copyright_notice", "copyright_owner",
                           "usage_terms", "web_statement", "licensor_name", "licensor_url", "model_release_status",
                           "property_release_status", "data_mining", "other_constraints", "image_supplier",
                           "image_creator", "description_writer", "digital_image_guid"]),
    ("Location", ["city", "sublocation", "state", "country", "country_code"]),
    ("Digital source and AI", ["digital_source_type", "ai_system", "ai_system_version", "ai_prompt",
                               "ai_prompt_writer"]),
    ("Location created", [name for name in PHOTO_METADATA_FIELDS if name.startswith("location_created_")]),
    ("Location shown", [name for name in PHOTO_METADATA_FIELDS if name.startswith("location_shown_")]),
    ("Creator's contact details", [name for name in PHOTO_METADATA_FIELDS if name.startswith("creator_")]),
    ("Artwork or object shown", [name for name in PHOTO_METADATA_FIELDS if name.startswith("artwork_")]),
    ("Person shown in detail", ["person_name", "person_description"]),
]
PLUS = "http://ns.useplus.org/ldf/vocab/"
RELEASES = {
    "model_release_status": [("", "Not stated"), (f"{PLUS}MR-NON", "None"), (f"{PLUS}MR-NAP", "Not applicable"),
                             (f"{PLUS}MR-UMR", "Unlimited model releases"), (f"{PLUS}MR-LMR", "Limited or incomplete")],
    "property_release_status": [("", "Not stated"), (f"{PLUS}PR-NON", "None"), (f"{PLUS}PR-NAP", "Not applicable"),
                                (f"{PLUS}PR-UPR", "Unlimited property releases"),
                                (f"{PLUS}PR-LPR", "Limited or incomplete")],
}
DATA_MINING = [("", "Not stated")] + [(f"{PLUS}DMI-{code}", name) for code, name in [
    ("UNSPECIFIED", "Unspecified"), ("ALLOWED", "Allowed"),
    ("PROHIBITED-AIMLTRAINING", "Prohibited for AI/ML training"),
    ("PROHIBITED-GENAIMLTRAINING", "Prohibited for generative AI/ML training"),
    ("PROHIBITED-EXCEPTSEARCHENGINEINDEXING", "Prohibited except for search engine indexing"),
    ("PROHIBITED", "Prohibited"), ("PROHIBITED-SEECONSTRAINT", "Prohibited, see Other constraints")]]
# Fields chosen from a vocabulary: (value, name) pairs; a value the file gave
# that is not among them is offered too, so saving the form keeps it.
CHOICES = {
    **RELEASES,
    "data_mining": DATA_MINING,
    "digital_source_type": [("", "Not stated")] + [
        (provenance.IPTC_SOURCE_TYPES + code, f"{name} ({code})")
        for code, name in {**provenance.DISCLOSED, **provenance.DESCRIBED}.items()],
}


def unix_line_breaks(data: dict) -> dict:
    """Browsers send a textarea's line breaks as CRLF; the files' are LF, and
    an unchanged text must compare equal."""
    return {name: value.replace("\r\n", "\n") if isinstance(value, str) else value
            for name, value in data.items()}


class PhotoMetadataForm(forms.ModelForm):
    """Every editable metadata field of a photo. Lists are edited as text."""

    class Meta:
        model = Photo
        fields = [name for name in PHOTO_METADATA_FIELDS if name not in READ_ONLY_FIELDS and name not in MARKS]
        labels = LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if name in LIST_FIELDS:
                self.fields[name] = forms.CharField(
                    label=field.label, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                    help_text="Separate with commas or new lines.",
                )
                self.initial[name] = ", ".join(getattr(self.instance, name) or [])
            elif name in LONG_FIELDS:
                field.widget = forms.Textarea(attrs={"rows": 5 if name == "caption" else 2})
            elif name in CHOICES:
                choices = CHOICES[name] + [(value, value) for value in [getattr(self.instance, name)]
                                           if value and value not in dict(CHOICES[name])]
                field.widget = forms.Select(choices=choices)
            else:
                field.widget = forms.TextInput()
            if name not in LIST_FIELDS:  # the bound every value keeps (photos.metadata)
                field.max_length = limit_of(name)
                field.validators.append(MaxLengthValidator(field.max_length))
                if name not in CHOICES:
                    field.widget.attrs["maxlength"] = field.max_length

    def groups(self, sources: dict) -> list[tuple[str, bool, list]]:
        """(title, open, [(bound field, source)]) per section of the page."""
        grouped = [(title, [name for name in names if name in self.fields]) for title, names in GROUPS]
        placed = {name for _, names in grouped for name in names}
        grouped[-1][1].extend(name for name in self.fields if name not in placed)
        return [(title, title not in FOLDING or any(self[name].value() or self[name].errors for name in names),
                 [(self[name], sources.get(name, "")) for name in names]) for title, names in grouped if names]

    def clean(self):
        data = unix_line_breaks(super().clean())
        for name in LIST_FIELDS & set(data):
            data[name] = split_list(data[name] or "")
        return data


class BulkEditForm(forms.Form):
    template = forms.ModelChoiceField(
        MetadataTemplate.objects.all(), required=False, label="Metadata template", empty_label="None",
        help_text="Applied first, photo by photo ({sequence} counts in the order they were taken).")
    credit = forms.CharField(required=False, help_text="Set on every selected photo; empty leaves it.")
    byline = forms.CharField(label="By-line", required=False, help_text="Set on every selected photo; empty leaves it.")
    keywords = forms.CharField(required=False, help_text="Separate with commas.")
    keywords_mode = forms.ChoiceField(
        label="Keywords are", choices=[("add", "added"), ("replace", "the new keywords")], initial="add",
    )
    find = forms.CharField(label="Find in captions", required=False)
    replace = forms.CharField(label="Replace with", required=False, strip=False)


class NewSlideshowForm(forms.Form):
    title = forms.CharField(max_length=300)


class SlideshowForm(forms.ModelForm):
    class Meta:
        model = Slideshow
        fields = ["title", "slug", "summary", "series", "cover"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = (
            "Fixed since first publication." if self.instance.slug_is_fixed
            else "The page's address. Empty: made from the title. Fixed once published."
        )
        self.fields["slug"].disabled = self.instance.slug_is_fixed
        self.fields["cover"].queryset = self.instance.photos.all()
        self.fields["cover"].label_from_instance = lambda photo: str(photo)[:80]
        self.fields["cover"].empty_label = "The first photo"
        self.fields["series"].empty_label = "None"

    def clean(self):
        return unix_line_breaks(super().clean())

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance.slug_is_fixed:
            return self.instance.slug
        if slug and Slideshow.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            raise forms.ValidationError("Another slideshow has this address.")
        return slug


# Dates and times are typed in ISO order, whatever the browser's locale would
# make of a date picker (month first in the United States): plain text inputs.
ISO_DATETIME = {"placeholder": "YYYY-MM-DD HH:MM", "pattern": r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?",
                "inputmode": "numeric", "autocomplete": "off"}
ISO_DATETIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at", required=False,
        # Part of the builder's form, wherever it stands on the page.
        widget=forms.DateTimeInput(attrs={**ISO_DATETIME, "form": "builder"}, format="%Y-%m-%d %H:%M:%S"),
        input_formats=ISO_DATETIME_FORMATS,
        help_text="An embargo: readers see nothing of the slideshow before this time.",
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    now = forms.BooleanField(required=False, widget=forms.HiddenInput)  # "Publish now", whatever the time says

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read in the editor's time zone (see desk.middleware), stored in UTC.
        self.fields["publish_at"].label = f"Publish at ({timezone.get_current_timezone_name()})"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("now"):
            cleaned["publish_at"] = None
        return cleaned


class TimeZoneForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone", required=False,
        help_text="Desk times are shown and typed in it; empty uses the desk's default.",
    )

    class Meta:
        model = DeskProfile
        fields = ["time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [("", "The desk's default"), *((zone, zone) for zone in zones)]


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label="Correction note", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown, dated, on the slideshow page. Make the edit itself first.",
    )


class KillForm(forms.Form):
    reason = forms.CharField(label="Reason for the kill", max_length=500)


class SeriesForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = ["name"]


class NewUserForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)
    role = forms.ChoiceField(choices=[(role, role) for role in ROLES])

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def clean_username(self):
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=name).exists():
            raise forms.ValidationError("This name is taken.")
        return name


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(role, role) for role in ROLES])
    active = forms.BooleanField(required=False)


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["name", "field", "value", "add_to_draft", "add_keywords", "series", "template", "notify", "active"]


class MetadataTemplateForm(forms.Form):
    """A template's name and, per field, a text and how it is set."""

    name = forms.CharField(max_length=200)

    def __init__(self, *args, template: MetadataTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template or MetadataTemplate()
        self.initial["name"] = self.template.name
        for name in TEMPLATE_FIELDS:
            setting = self.template.fields.get(name, {})
            label = LABELS.get(name, name.replace("_", " ").capitalize())
            widget = forms.Textarea(attrs={"rows": 2}) if name in LONG_FIELDS else forms.TextInput()
            self.fields[f"{name}_text"] = forms.CharField(label=label, required=False, strip=False, widget=widget,
                                                          initial=setting.get("text", ""))
            self.fields[f"{name}_mode"] = forms.ChoiceField(
                label=f"{label}: how", choices=[(mode, mode.capitalize()) for mode in MODES], required=False,
                initial=setting.get("mode", "replace"))

    def rows(self):
        """(text field, mode field) per template field, for the template to lay out."""
        return [(self[f"{name}_text"], self[f"{name}_mode"]) for name in TEMPLATE_FIELDS]

    def clean(self):
        data = super().clean()
        fields = {name: {"mode": data.get(f"{name}_mode") or "replace", "text": data[f"{name}_text"]}
                  for name in TEMPLATE_FIELDS if data.get(f"{name}_text", "").strip()}
        try:
            data["fields"] = check(fields)
        except TemplateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data
