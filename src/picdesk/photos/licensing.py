"""Where a picture's licence is said to be: one rule for every copy that
leaves the building (renditions, the public original) and every page or feed
that describes it (JSON-LD, Media RSS).

A photo's own rights metadata wins (an agency's Web Statement of Rights, its
PLUS licensor); else the site's settings (PICDESK_LICENSE_URL,
PICDESK_LICENSOR_URL, with PICDESK_SITE_NAME as the licensor); else nothing
is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

from picdesk.core.config import setting


@dataclass(frozen=True)
class Licence:
    terms_url: str = ""  # xmpRights:WebStatement, schema.org license, media:license
    licensor_name: str = ""
    licensor_url: str = ""  # plus:LicensorURL, schema.org acquireLicensePage


def licence_of(photo) -> Licence:
    """``photo``: a Photo, or the PhotoMetadata read at ingest (both carry
    web_statement, licensor_name and licensor_url)."""
    if photo.licensor_url:
        licensor = (photo.licensor_name, photo.licensor_url)
    elif setting("PICDESK_LICENSOR_URL"):
        licensor = (setting("PICDESK_SITE_NAME"), setting("PICDESK_LICENSOR_URL"))
    else:
        licensor = (photo.licensor_name, "")
    return Licence(photo.web_statement or setting("PICDESK_LICENSE_URL"), *licensor)
