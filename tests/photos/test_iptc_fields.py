"""Every IPTC Photo Metadata field a newsroom uses, 2025.1 included: read
from a file exiftool wrote (an equivalent of IPTC's 2025.1 reference image:
one value per field, each marked "(ref2025.1)"), shown and edited on the
desk, and written into the desk's download, where exiftool reads back each
edit. The 2021.1 reference image still gives the older fields."""

import json
import subprocess

import pytest

from picdesk.desk.forms import PhotoMetadataForm
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.metadata import read_metadata, write_metadata
from picdesk.slideshows.metadata_edits import save_edits
from tests.conftest import STANDARDS
from tests.factories import make_jpeg, make_slideshow

pytestmark = pytest.mark.django_db

CONFIG = STANDARDS / "iptc/exiftool-iptc-2025.config"
PLUS = "http://ns.useplus.org/ldf/vocab/"
# picdesk field -> (exiftool tag, a value as IPTC's reference image would hold it)
FIELDS = {
    "headline": ("XMP-photoshop:Headline", "The Headline (ref2025.1)"),
    "caption": ("XMP-dc:Description", "The description aka caption (ref2025.1)"),
    "title": ("XMP-dc:Title", "The Title (ref2025.1)"),
    "byline": ("XMP-dc:Creator", "Creator1 (ref2025.1)"),
    "byline_title": ("XMP-photoshop:AuthorsPosition", "Creator's Job Title (ref2025.1)"),
    "credit": ("XMP-photoshop:Credit", "Credit Line (ref2025.1)"),
    "source": ("XMP-photoshop:Source", "Source (ref2025.1)"),
    "copyright_notice": ("XMP-dc:Rights", "Copyright (Notice) 2025.1 IPTC (ref2025.1)"),
    "usage_terms": ("XMP-xmpRights:UsageTerms", "Rights Usage Terms (ref2025.1)"),
    "web_statement": ("XMP-xmpRights:WebStatement", "https://example.com/WebStatementOfRights/2025.1"),
    "copyright_owner": ("XMP-plus:CopyrightOwnerName", "Copyright Owner Name 1 (ref2025.1)"),
    "licensor_name": ("XMP-plus:LicensorName", "Licensor Name 1 (ref2025.1)"),
    "licensor_url": ("XMP-plus:LicensorURL", "https://example.com/Licensor/2025.1"),
    "model_release_status": ("XMP-plus:ModelReleaseStatus", f"{PLUS}MR-LMR"),
    "property_release_status": ("XMP-plus:PropertyReleaseStatus", f"{PLUS}PR-NAP"),
    "description_writer": ("XMP-photoshop:CaptionWriter", "Description Writer (ref2025.1)"),
    "event": ("XMP-iptcExt:Event", "Event Name (ref2025.1)"),
    "intellectual_genre": ("XMP-iptcCore:IntellectualGenre", "Actuality"),
    "city": ("XMP-photoshop:City", "City (Core) (ref2025.1)"),
    "sublocation": ("XMP-iptcCore:Location", "Sublocation (Core) (ref2025.1)"),
    "state": ("XMP-photoshop:State", "Province/State (Core) (ref2025.1)"),
    "country": ("XMP-photoshop:Country", "Country (Core) (ref2025.1)"),
    "country_code": ("XMP-iptcCore:CountryCode", "R25"),
    "job_id": ("XMP-photoshop:TransmissionReference", "Job Id (ref2025.1)"),
    "instructions": ("XMP-photoshop:Instructions", "An Instruction (ref2025.1)"),
    "alt_text": ("XMP-iptcCore:AltTextAccessibility", "This is the Alt Text description (ref2025.1)"),
    "ai_system": ("XMP-iptcExt:AISystemUsed", "AI System Used (ref2025.1)"),
    "ai_system_version": ("XMP-iptcExt:AISystemVersionUsed", "AI System Version Used (ref2025.1)"),
    "ai_prompt": ("XMP-iptcExt:AIPromptInformation", "AI Prompt Information (ref2025.1)"),
    "ai_prompt_writer": ("XMP-iptcExt:AIPromptWriterName", "AI Prompt Writer Name (ref2025.1)"),
    "extended_description": ("XMP-iptcCore:ExtDescrAccessibility", "This is the Extended Description (ref2025.1)"),
    "data_mining": ("XMP-plus:DataMining", f"{PLUS}DMI-PROHIBITED-AIMLTRAINING"),
    "other_constraints": ("XMP-plus:OtherConstraints", "Other Constraints (ref2025.1)"),
    "image_supplier": ("XMP-plus:ImageSupplierName", "Image Supplier Name (ref2025.1)"),
    "image_creator": ("XMP-plus:ImageCreatorName", "Image Creator Name 1 (ref2025.1)"),
    "digital_image_guid": ("XMP-iptcExt:DigitalImageGUID", "http://example.com/imageGUIDs/TestGUID12345/ref2025.1"),
    **{name: (f"XMP-iptcCore:{tag}", f"{tag} (ref2025.1)") for name, tag in [
        ("creator_address", "CreatorAddress"), ("creator_city", "CreatorCity"), ("creator_region", "CreatorRegion"),
        ("creator_postcode", "CreatorPostalCode"), ("creator_country", "CreatorCountry"),
        ("creator_email", "CreatorWorkEmail"), ("creator_phone", "CreatorWorkTelephone")]},
    "creator_url": ("XMP-iptcCore:CreatorWorkURL", "https://example.com/CreatorsCI/ref2025.1"),
    **{f"{place}_{name}": (f"XMP-iptcExt:{tag}{member}", f"{tag} {member} (ref2025.1)")
       for place, tag in [("location_created", "LocationCreated"), ("location_shown", "LocationShown")]
       for name, member in [("name", "LocationName"), ("sublocation", "Sublocation"), ("city", "City"),
                            ("state", "ProvinceState"), ("country", "CountryName"), ("world_region", "WorldRegion")]},
    "location_created_country_code": ("XMP-iptcExt:LocationCreatedCountryCode", "R26"),
    "location_shown_country_code": ("XMP-iptcExt:LocationShownCountryCode", "R27"),
    "artwork_title": ("XMP-iptcExt:ArtworkTitle", "AO Title 1 (ref2025.1)"),
    "artwork_creators": ("XMP-iptcExt:ArtworkCreator", ["AO Creator Name 1a (ref2025.1)", "AO Creator Name 1b"]),
    "artwork_date": ("XMP-iptcExt:ArtworkDateCreated", "1921-10-20"),
    "artwork_source": ("XMP-iptcExt:ArtworkSource", "AO Source 1 (ref2025.1)"),
    "artwork_inventory_number": ("XMP-iptcExt:ArtworkSourceInventoryNo", "AO Source Inventory No 1 (ref2025.1)"),
    "artwork_copyright_notice": ("XMP-iptcExt:ArtworkCopyrightNotice", "AO Copyright Notice 1 (ref2025.1)"),
    "person_name": ("XMP-iptcExt:PersonInImageName", "Person Name 1 (ref2025.1)"),
    "person_description": ("XMP-iptcExt:PersonInImageDescription", "Person Description 1 (ref2025.1)"),
    "keywords": ("XMP-dc:Subject", ["Keyword1 (ref2025.1)", "Keyword2 (ref2025.1)"]),
    "persons_shown": ("XMP-iptcExt:PersonInImage", ["Person Shown 1 (ref2025.1)"]),
    "organisations_shown": ("XMP-iptcExt:OrganisationInImageName", ["Organisation Name 1 (ref2025.1)"]),
}


def _exiftool(*arguments: str) -> str:
    return subprocess.run(["exiftool", "-config", str(CONFIG), *arguments], capture_output=True, text=True,
                          check=True).stdout


def _write(path, values: dict) -> None:
    assignments = []
    for tag, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            # exiftool takes a PLUS status by its code, and writes IPTC's whole URI
            assignments.append(f"-{tag}#={item.removeprefix(PLUS)}" if _plus_code(tag) else f"-{tag}={item}")
    _exiftool("-q", "-overwrite_original", *assignments, str(path))


def _plus_code(tag: str) -> bool:
    """Whether exiftool gives ``tag``'s PLUS value by its code alone (it
    knows the release statuses; Data Mining only by our configuration)."""
    return "ReleaseStatus" in tag


LISTS = {"keywords", "persons_shown", "organisations_shown", "artwork_creators"}
EDITED = {"model_release_status": f"{PLUS}MR-UMR", "property_release_status": f"{PLUS}PR-UPR",
          "data_mining": f"{PLUS}DMI-PROHIBITED", "web_statement": "https://example.com/edited",
          "artwork_date": "1922-11-21"}


def _edited(name: str) -> str:
    """What the desk types into field ``name`` (a value its vocabulary takes)."""
    if name in EDITED:
        return EDITED[name]
    return ("https://example.com/edited" if "url" in name else "Edited, again" if name in LISTS
            else "ED1" if name.endswith("country_code") else f"Edited {name}")


def _read(path) -> dict:
    return json.loads(_exiftool("-json", "-n", "-G1", str(path)))[0]


@pytest.fixture
def reference_2025(tmp_path):
    path = tmp_path / "IPTC-PhotometadataRef-equivalent-2025.1.jpg"
    path.write_bytes(make_jpeg(640, 400))
    _write(path, {tag: value for tag, value in FIELDS.values()} | {
        # IPTC's vocabulary in its https spelling, and a code picdesk once dropped.
        "XMP-iptcExt:DigitalSourceType": "https://cv.iptc.org/newscodes/digitalsourcetype/minorHumanEdits"})
    return path


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_each_field_of_the_2025_reference_is_read(reference_2025, name):
    meta = read_metadata(reference_2025)
    value = meta.bylines[0] if name == "byline" else getattr(meta, name)
    assert value == FIELDS[name][1]


def test_every_digital_source_type_code_is_kept_in_iptcs_own_form(reference_2025):
    photo = ingest_bytes(reference_2025.read_bytes(), "ref.jpg").photo
    assert photo.digital_source_type == "http://cv.iptc.org/newscodes/digitalsourcetype/minorHumanEdits"
    assert photo.source_label == ""  # minor edits by people: nothing readers must be warned of


def test_every_field_round_trips_through_the_desk_and_its_download(reference_2025, editor, tmp_path):
    photo = ingest_bytes(reference_2025.read_bytes(), "ref.jpg").photo
    shown = PhotoMetadataForm(instance=photo)
    html = editor.get(f"/desk/photos/{photo.pk}/").content.decode()
    for name in FIELDS:
        assert f'name="{name}"' in html, name
    values = {name: str(shown[name].value() or "") for name in shown.fields}
    edited = {name: _edited(name) for name in FIELDS}
    response = editor.post(f"/desk/photos/{photo.pk}/", {**values, **edited})
    assert response.status_code == 302
    download = tmp_path / "download.jpg"
    download.write_bytes(b"".join(editor.get(f"/desk/photos/{photo.pk}/download/").streaming_content))
    tags = _read(download)
    for name, (tag, _) in FIELDS.items():
        group, key = tag.split(":")
        read = tags.get(tag, tags.get(f"{group}:{key}"))
        expected = ["Edited", "again"] if name in LISTS else edited[name]
        if _plus_code(tag):  # exiftool's raw form of a PLUS status is its code
            expected = expected.removeprefix(PLUS)
        if name == "artwork_date":  # exiftool shows an XMP date in EXIF's form
            read = read.replace(":", "-")
        assert read == expected, (name, read)
    again = read_metadata(download)
    assert again.caption == "Edited caption" and again.ai_prompt == "Edited ai_prompt"
    assert again.copyright_owner == "Edited copyright_owner"


def test_ninjs_names_the_copyright_owner_as_copyright_holder(reference_2025, client):
    photo = ingest_bytes(reference_2025.read_bytes(), "ref.jpg").photo
    make_slideshow(photos=[photo])
    document = client.get(f"/api/v1/photos/{photo.public_key}", HTTP_ACCEPT="application/ninjs+json").json()
    assert document["copyrightholder"] == "Copyright Owner Name 1 (ref2025.1)"


REFERENCE_2021 = {  # fields the 2021.1 image gives beyond test_metadata's, as exiftool reads them
    "byline_title": "Creator's Job Title  (ref2021.1)",
    "description_writer": "Description Writer (ref2021.1)",
    "event": "Event Name (ref2021.1)",
    "intellectual_genre": "Actuality",
    "web_statement": "https://example.com/WebStatementOfRights/2021.1",
    "model_release_status": f"{PLUS}MR-NAP",
    "property_release_status": f"{PLUS}PR-NAP",
}


def test_the_2021_reference_image_gives_the_rights_and_people_fields():
    meta = read_metadata((STANDARDS / "iptc/IPTC-PhotometadataRef-Std2021.1.jpg").read_bytes())
    assert {name: getattr(meta, name) for name in REFERENCE_2021} == REFERENCE_2021
    assert meta.copyright_owner.startswith("Copyright Owner Name 1") and meta.licensor_name.startswith("Licensor Name 1")
    assert meta.organisations_shown[:1] == ["Organisation Name 1 (ref2021.1)"]


def test_several_creators_are_written_back_as_several(editor, tmp_path):
    path = tmp_path / "two.jpg"
    path.write_bytes(make_jpeg(320, 200))
    _write(path, {"XMP-dc:Creator": ["Ann Smith", "Bo Jones"], "IPTC:By-line": ["Ann Smith", "Bo Jones"]})
    photo = ingest_bytes(path.read_bytes(), "two.jpg").photo
    assert photo.byline == "Ann Smith, Bo Jones"
    download = tmp_path / "download.jpg"
    download.write_bytes(b"".join(editor.get(f"/desk/photos/{photo.pk}/download/").streaming_content))
    tags = _read(download)
    assert tags["XMP-dc:Creator"] == ["Ann Smith", "Bo Jones"]
    assert tags["IPTC:By-line"] == ["Ann Smith", "Bo Jones"]
    # Once the desk edits the by-line, it is the one creator typed.
    form = {name: str(value or "") for name, value in PhotoMetadataForm(instance=photo).initial.items()}
    assert editor.post(f"/desk/photos/{photo.pk}/", {**form, "byline": "Smith, Ann"}).status_code == 302
    download.write_bytes(b"".join(editor.get(f"/desk/photos/{photo.pk}/download/").streaming_content))
    assert _read(download)["XMP-dc:Creator"] == "Smith, Ann"


def test_structures_written_into_a_file_keep_what_picdesk_does_not_map(tmp_path):
    """IPTC's own reference image declares IPTC Extension under its own
    prefix, which exiv2 does not write; edits go into its structures, and
    a second location and a location's GPS stay."""
    reference = (STANDARDS / "iptc/IPTC-PhotometadataRef-Std2021.1.jpg").read_bytes()
    meta = read_metadata(reference)
    assert meta.location_shown_city == "City (Location shown1) (ref2021.1)"
    assert meta.artwork_creators == ["AO Creator Name 1a (ref2021.1)", "AO Creator Name 1b (ref2021.1)"]
    assert meta.creator_postcode == "Creator's CI: Postcode (ref2021.1)"
    assert meta.person_name == "Person Name 1 (ref2021.1)"
    meta.location_shown_city, meta.location_created_city, meta.location_created_name = "Changed", "", ""
    meta.location_created_sublocation = meta.location_created_state = meta.location_created_country = ""
    meta.location_created_country_code = meta.location_created_world_region = ""
    path = tmp_path / "edited.jpg"
    path.write_bytes(write_metadata(reference, meta, clear_empty=True))
    tags = _read(path)
    assert tags["XMP-iptcExt:LocationShownCity"] == ["Changed", "City (Location shown2) (ref2021.1)"]
    assert "XMP-iptcExt:LocationCreatedCity" not in tags and "XMP-iptcExt:LocationCreatedGPSLatitude" in tags
    assert tags["XMP-iptcCore:CreatorPostalCode"] == "Creator's CI: Postcode (ref2021.1)"
    assert read_metadata(path).headline == meta.headline


def test_the_structures_start_folded_on_the_desk_while_empty(editor):
    photo = ingest_bytes(make_jpeg(320, 200, xmp={"Xmp.dc.title": "A title"}), "plain.jpg").photo
    html = editor.get(f"/desk/photos/{photo.pk}/").content.decode()
    assert '<details class="field-group" open><summary>Caption</summary>' in html
    assert '<details class="field-group"><summary>Artwork or object shown</summary>' in html
    save_edits(photo, {"artwork_title": "Guernica"})
    html = editor.get(f"/desk/photos/{photo.pk}/").content.decode()
    assert '<details class="field-group" open><summary>Artwork or object shown</summary>' in html
