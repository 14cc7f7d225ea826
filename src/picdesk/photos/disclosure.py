"""What readers and partners are told of a photo's provenance: the facts
behind the "Content Credentials" disclosure on reader pages and the API's
credentials document, assembled once here so both say the same.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from picdesk.photos import provenance, signing


@dataclass(frozen=True)
class Disclosure:
    label: str  # "AI-generated", "Composite", ...; "" for an ordinary photograph
    source_type: str  # the IPTC Digital Source Type URI readers are told
    source_type_name: str
    captured_by: str  # the credit line
    camera: str  # what made the original's manifest (camera, agency software); only once verified
    original_signer: str  # only once verified
    original_state: str  # provenance.TRUSTED, UNTRUSTED, INVALID or NONE
    original_verdict: str  # the state as people say it
    published_by: str  # who signs the renditions; "" when they are not signed
    changes: list[str] = field(default_factory=list)
    # What a manifest that failed validation says of itself: claims, never facts.
    claimed_camera: str = ""
    claimed_signer: str = ""

    @property
    def has_something_to_say(self) -> bool:
        """Unsigned renditions of a photo without credentials or a telling
        source type: nothing is claimed, so nothing is shown."""
        return bool(self.label or self.original_state != provenance.NONE or self.published_by)

    def as_dict(self) -> dict:
        return asdict(self)


def disclosure_for(photo) -> Disclosure:
    credentials = photo.content_credentials
    source_type = photo.source_type
    verified = credentials.state != provenance.INVALID
    return Disclosure(
        label=provenance.disclosure_label(source_type),
        source_type=source_type,
        source_type_name=provenance.source_type_name(source_type),
        captured_by=photo.credit_line,
        camera=credentials.claim_generator if verified else "",
        original_signer=credentials.signer if verified else "",
        original_state=credentials.state,
        original_verdict=credentials.state_name,
        published_by=signing.publisher_name(),
        changes=changes(photo),
        claimed_camera="" if verified else credentials.claim_generator,
        claimed_signer="" if verified else credentials.signer,
    )


def changes(photo) -> list[str]:
    """What picdesk did between the original and what readers see."""
    done = ["resized", "re-encoded"]
    edited = signing.edited_fields(photo)
    if edited:
        done.append("edited on the desk: " + ", ".join(name.replace("_", " ") for name in edited))
    return done
