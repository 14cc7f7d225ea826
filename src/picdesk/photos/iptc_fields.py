"""Which IPTC property each of picdesk's metadata fields is: its IIM
dataset and its XMP property, per IPTC Photo Metadata Standard 2025.1, and
the longest value each keeps. ``photos.metadata`` reads and writes through
these tables; nothing else names a raw tag.

A structured property (a location, the creator's contact details, an
artwork) is one field per member of its first item: what a newsroom's
pictures carry, and what the desk edits. Its XMP key names the member with
the prefix exiv2 writes (``iptcExt:``, ``Iptc4xmpCore:``); a file may use
another prefix for the same namespace, so members are matched by their
name alone when reading (``plain_key``).
"""

from __future__ import annotations

import re

# field name -> (IIM dataset key, XMP property key); None where the standard
# defines no such representation. Dataset numbers are IIM 4.2 record 2.
TEXT_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "headline": ("Iptc.Application2.Headline", "Xmp.photoshop.Headline"),  # 2:105
    "caption": ("Iptc.Application2.Caption", "Xmp.dc.description"),  # 2:120
    "title": ("Iptc.Application2.ObjectName", "Xmp.dc.title"),  # 2:05
    "credit": ("Iptc.Application2.Credit", "Xmp.photoshop.Credit"),  # 2:110
    "source": ("Iptc.Application2.Source", "Xmp.photoshop.Source"),  # 2:115
    "copyright_notice": ("Iptc.Application2.Copyright", "Xmp.dc.rights"),  # 2:116
    "city": ("Iptc.Application2.City", "Xmp.photoshop.City"),  # 2:90
    "sublocation": ("Iptc.Application2.SubLocation", "Xmp.iptc.Location"),  # 2:92
    "state": ("Iptc.Application2.ProvinceState", "Xmp.photoshop.State"),  # 2:95
    "country_code": ("Iptc.Application2.CountryCode", "Xmp.iptc.CountryCode"),  # 2:100
    "country": ("Iptc.Application2.CountryName", "Xmp.photoshop.Country"),  # 2:101
    "job_id": (  # 2:103 Original Transmission Reference
        "Iptc.Application2.TransmissionReference",
        "Xmp.photoshop.TransmissionReference",
    ),
    "instructions": ("Iptc.Application2.SpecialInstructions", "Xmp.photoshop.Instructions"),
    "alt_text": (None, "Xmp.iptc.AltTextAccessibility"),
    "usage_terms": (None, "Xmp.xmpRights.UsageTerms"),
    # Iptc4xmpExt:DigitalSourceType, a URI of IPTC's digitalsourcetype
    # vocabulary: whether the picture is a capture, a composite or AI-generated.
    "digital_source_type": (None, "Xmp.iptcExt.DigitalSourceType"),
    "byline_title": ("Iptc.Application2.BylineTitle", "Xmp.photoshop.AuthorsPosition"),  # 2:85
    "description_writer": ("Iptc.Application2.Writer", "Xmp.photoshop.CaptionWriter"),  # 2:122
    "event": (None, "Xmp.iptcExt.Event"),
    "intellectual_genre": (None, "Xmp.iptc.IntellectualGenre"),
    # Rights: IPTC's, and PLUS's licensor, owner and release statuses (the
    # first of each repeatable structure: what a newsroom's pictures carry).
    "web_statement": (None, "Xmp.xmpRights.WebStatement"),
    "copyright_owner": (None, "Xmp.plus.CopyrightOwner[1]/plus:CopyrightOwnerName"),
    "licensor_name": (None, "Xmp.plus.Licensor[1]/plus:LicensorName"),
    "licensor_url": (None, "Xmp.plus.Licensor[1]/plus:LicensorURL"),
    "model_release_status": (None, "Xmp.plus.ModelReleaseStatus"),
    "property_release_status": (None, "Xmp.plus.PropertyReleaseStatus"),
    # IPTC Photo Metadata 2025.1: how a generative AI system made the picture.
    "ai_system": (None, "Xmp.iptcExt.AISystemUsed"),
    "ai_system_version": (None, "Xmp.iptcExt.AISystemVersionUsed"),
    "ai_prompt": (None, "Xmp.iptcExt.AIPromptInformation"),
    "ai_prompt_writer": (None, "Xmp.iptcExt.AIPromptWriterName"),
    # The rest of what an agency's pictures carry: the longer description
    # for screen readers, whether text and data mining (AI training) is
    # allowed (a PLUS URI) and any other constraint, who supplied and who
    # made the picture (PLUS; the first of each), and its globally unique id.
    "extended_description": (None, "Xmp.iptc.ExtDescrAccessibility"),
    "data_mining": (None, "Xmp.plus.DataMining"),
    "other_constraints": (None, "Xmp.plus.OtherConstraints"),
    "image_supplier": (None, "Xmp.plus.ImageSupplier[1]/plus:ImageSupplierName"),
    "image_creator": (None, "Xmp.plus.ImageCreator[1]/plus:ImageCreatorName"),
    "digital_image_guid": (None, "Xmp.iptcExt.DigImageGUID"),
    # The creator's contact details (one structure, not repeatable).
    **{name: (None, f"Xmp.iptc.CreatorContactInfo/Iptc4xmpCore:{member}") for name, member in [
        ("creator_address", "CiAdrExtadr"), ("creator_city", "CiAdrCity"), ("creator_region", "CiAdrRegion"),
        ("creator_postcode", "CiAdrPcode"), ("creator_country", "CiAdrCtry"), ("creator_email", "CiEmailWork"),
        ("creator_phone", "CiTelWork"), ("creator_url", "CiUrlWork")]},
    # Where the picture was taken and where what it shows is, which differ
    # for a picture of a far-off skyline. Their GPS members are not read:
    # coordinates stay in the original, like EXIF's.
    **{f"{place}_{name}": (None, f"Xmp.iptcExt.{structure}[1]/iptcExt:{member}")
       for place, structure in [("location_created", "LocationCreated"), ("location_shown", "LocationShown")]
       for name, member in [("name", "LocationName"), ("sublocation", "Sublocation"), ("city", "City"),
                            ("state", "ProvinceState"), ("country", "CountryName"),
                            ("country_code", "CountryCode"), ("world_region", "WorldRegion")]},
    # A work of art or object in the picture, and the person shown in detail.
    **{name: (None, f"Xmp.iptcExt.ArtworkOrObject[1]/iptcExt:{member}") for name, member in [
        ("artwork_title", "AOTitle"), ("artwork_date", "AODateCreated"), ("artwork_source", "AOSource"),
        ("artwork_inventory_number", "AOSourceInvNo"), ("artwork_copyright_notice", "AOCopyrightNotice")]},
    "person_name": (None, "Xmp.iptcExt.PersonInImageWDetails[1]/iptcExt:PersonName"),
    "person_description": (None, "Xmp.iptcExt.PersonInImageWDetails[1]/iptcExt:PersonDescription"),
}
# The IPTC vocabulary's own form of a Digital Source Type URI.
IPTC_CV_HTTPS, IPTC_CV = "https://cv.iptc.org/", "http://cv.iptc.org/"
LIST_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "bylines": ("Iptc.Application2.Byline", "Xmp.dc.creator"),  # 2:80, repeatable
    "keywords": ("Iptc.Application2.Keywords", "Xmp.dc.subject"),  # 2:25, repeatable
    "persons_shown": (None, "Xmp.iptcExt.PersonInImage"),
    "organisations_shown": (None, "Xmp.iptcExt.OrganisationInImageName"),
    "artwork_creators": (None, "Xmp.iptcExt.ArtworkOrObject[1]/iptcExt:AOCreator"),
}


# The longest value each field keeps, in characters (a list: its items, and
# each item's characters); a caption as long as a JPEG's XMP can carry. No
# wire sends more; a file that does (a 1 MB caption in a PNG made a 3.2 MB
# page and 12.6 MB feeds) has it cut at a word, and the cut is on the
# photo's record (``bound``). The desk's edits meet the same bounds.
TEXT_LIMIT = 500
TEXT_LIMITS = {"caption": 64_000, "headline": 1_000, "title": 1_000, "instructions": 5_000,
               "usage_terms": 5_000, "alt_text": 2_000, "copyright_notice": 1_000, "country_code": 10,
               "digital_source_type": 200, "date_created": 40, "camera_time": 40, "camera_serial": 80,
               "ai_prompt": 5_000, "web_statement": 1_000, "licensor_url": 1_000,
               "extended_description": 10_000, "other_constraints": 5_000,
               "person_description": 2_000, "location_created_country_code": 10,
               "location_shown_country_code": 10}
LIST_LIMITS = {"bylines": (20, 200), "keywords": (200, 100), "persons_shown": (100, 200),
               "organisations_shown": (100, 200), "artwork_creators": (20, 200)}


# XMP properties of type Lang Alt (one text per language).
LANG_ALT = {"Xmp.dc.description", "Xmp.dc.title", "Xmp.dc.rights", "Xmp.iptc.AltTextAccessibility",
            "Xmp.xmpRights.UsageTerms", "Xmp.iptcExt.Event", "Xmp.iptc.ExtDescrAccessibility",
            "Xmp.plus.OtherConstraints", "Xmp.iptcExt.LocationCreated[1]/iptcExt:LocationName",
            "Xmp.iptcExt.LocationShown[1]/iptcExt:LocationName", "Xmp.iptcExt.ArtworkOrObject[1]/iptcExt:AOTitle",
            "Xmp.iptcExt.PersonInImageWDetails[1]/iptcExt:PersonName",
            "Xmp.iptcExt.PersonInImageWDetails[1]/iptcExt:PersonDescription"}
# What each structure is: IPTC's are unordered (Bag), PLUS's ordered (Seq);
# the creator's contact details a single structure.
STRUCTURES = {"Xmp.iptc.CreatorContactInfo": "Struct", "Xmp.iptcExt.LocationCreated": "Bag",
              "Xmp.iptcExt.LocationShown": "Bag", "Xmp.iptcExt.ArtworkOrObject": "Bag",
              "Xmp.iptcExt.PersonInImageWDetails": "Bag"}
MEMBER_PREFIX = re.compile(r"/[A-Za-z0-9_]+:")


def plain_key(key: str) -> str:
    """An XMP key with its structure members' prefixes left out."""
    return MEMBER_PREFIX.sub("/", key)


# IPTC Extension's prefix: exiv2 writes its own, ``iptcExt``; a file that
# declares IPTC's ``Iptc4xmpExt`` has its members written with that one, as
# exiv2 drops the whole XMP block of a structure whose members mix them.
EXT_PREFIX, EXT_FILE_PREFIX = "/iptcExt:", "/Iptc4xmpExt:"


def with_files_prefix(values: dict, present: dict) -> dict:
    """``values`` with IPTC Extension members under the prefix the file
    already uses for them (``present``: the file's XMP)."""
    if not any(EXT_FILE_PREFIX in key for key in present):
        return values
    return {key.replace(EXT_PREFIX, EXT_FILE_PREFIX): value for key, value in values.items()}


def container_of(key: str) -> str:
    """The structure (or array of structures) an XMP key is a member of; ""
    for a top-level property."""
    return key.split("/", 1)[0].split("[", 1)[0] if "/" in key else ""
