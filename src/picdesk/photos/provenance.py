"""Content Credentials in: what a photo's C2PA manifest and IPTC Digital
Source Type say about where it came from.

``read_credentials(source)`` reads and validates the C2PA manifest store in a
file with ``c2pa-python`` and returns a typed ``Credentials``; nothing else in
picdesk touches a manifest. Validation is offline: trust anchors come from
``PICDESK_C2PA_TRUST_ANCHORS``, remote manifests and OCSP are never fetched
(a wire photo must not make the desk call out to an address it names).

Digital Source Type is IPTC's controlled vocabulary
(http://cv.iptc.org/newscodes/digitalsourcetype/) that both IPTC Photo
Metadata (``Iptc4xmpExt:DigitalSourceType``, read by ``photos.metadata``) and
C2PA actions (``digitalSourceType``) use. ``disclosure_label`` says which
values readers must be told about.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Union

from picdesk.core.config import setting

IPTC_SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"

# The IPTC vocabulary's codes that a reader must be told about, with the label
# shown beside the photo, most disclosing first (a photo takes the first one
# any of its sources claims). Other codes (digitalCapture, negativeFilm,
# algorithmicallyEnhanced, ...) describe ordinary news photography.
DISCLOSED = {
    "trainedAlgorithmicMedia": "AI-generated",
    "compositeWithTrainedAlgorithmicMedia": "Includes AI-generated elements",
    "algorithmicMedia": "Computer-generated",
    "compositeSynthetic": "Composite with synthetic elements",
    "composite": "Composite",
    "compositeCapture": "Composite",
}
# Names of the other codes, for the desk and the disclosure.
DESCRIBED = {
    "digitalCapture": "Digital capture",
    "computationalCapture": "Computational capture",
    "negativeFilm": "Digitised from a negative",
    "positiveFilm": "Digitised from a transparency",
    "print": "Digitised from a print",
    "humanEdits": "Edited by people",
    "minorHumanEdits": "Minor edits by people",
    "algorithmicallyEnhanced": "Algorithmically enhanced",
    "digitalCreation": "Digital creation",
    "digitalArt": "Digital art",
    "dataDrivenMedia": "Data-driven media",
    "screenCapture": "Screen capture",
    "virtualRecording": "Virtual recording",
    "softwareImage": "Created by software",
}

NONE, TRUSTED, UNTRUSTED, INVALID = "none", "trusted", "untrusted", "invalid"
STATES = {
    NONE: "No Content Credentials",
    TRUSTED: "Verified",
    UNTRUSTED: "Signed by an unknown signer",
    INVALID: "Do not verify",
}


def source_type_code(uri: str) -> str:
    """``trainedAlgorithmicMedia`` for IPTC's URI of it (http or https, or the
    bare code); "" for anything else."""
    uri = (uri or "").strip()
    for prefix in (IPTC_SOURCE_TYPES, IPTC_SOURCE_TYPES.replace("http:", "https:")):
        if uri.startswith(prefix):
            uri = uri[len(prefix):]
    return uri if uri in DISCLOSED or uri in DESCRIBED else ""


def disclosure_label(*uris: str) -> str:
    """The label readers see for a photo whose sources claim ``uris``: the most
    disclosing any of them claims, so no source can hide another's label."""
    codes = {source_type_code(uri) for uri in uris}
    return next((label for code, label in DISCLOSED.items() if code in codes), "")


def source_type_name(uri: str) -> str:
    code = source_type_code(uri)
    return DISCLOSED.get(code) or DESCRIBED.get(code, "")


def most_disclosing(uris: list[str]) -> str:
    """The one of ``uris`` that ``disclosure_label`` would show, else the first
    known one, else ""."""
    known = [uri for uri in uris if source_type_code(uri)]
    for code in DISCLOSED:
        for uri in known:
            if source_type_code(uri) == code:
                return uri
    return known[0] if known else ""


@dataclass
class Credentials:
    """What a file's C2PA manifest store says, as validated on import."""

    state: str = NONE
    problems: list[str] = field(default_factory=list)  # why it does not verify
    signer: str = ""  # the signing certificate's organisation or common name
    signed_at: str = ""
    claim_generator: str = ""  # the camera or software that made the manifest
    actions: list[dict] = field(default_factory=list)  # {"action", "name", "when", "agent", "source_type"}
    ingredients: list[dict] = field(default_factory=list)  # {"title", "relationship"}
    source_type: str = ""  # the most disclosing Digital Source Type any manifest claims

    def as_dict(self) -> dict:
        return asdict(self) if self.state != NONE else {}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Credentials":
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in (data or {}).items() if key in names})

    @property
    def state_name(self) -> str:
        return STATES.get(self.state, self.state)


# The extended key usages C2PA 2.x allows a signing certificate (§14.5.2.1),
# as c2pa's trust settings take them: one OID a line. c2pa-rs's own default
# leaves out id-kp-documentSigning, which cameras and other implementations use.
C2PA_EKUS = "\n".join([
    "1.3.6.1.5.5.7.3.4",  # id-kp-emailProtection
    "1.3.6.1.5.5.7.3.36",  # id-kp-documentSigning
    "1.3.6.1.5.5.7.3.8",  # id-kp-timeStamping
    "1.3.6.1.5.5.7.3.9",  # id-kp-OCSPSigning
    "1.3.6.1.4.1.311.76.59.1.9",  # Microsoft's C2PA signing
    "1.3.6.1.4.1.62558.2.1",  # c2pa-kp-claimSigning
])


def c2pa_settings(**extra) -> dict:
    """Settings for every c2pa Reader and Builder picdesk makes: offline, and
    the signer EKUs C2PA allows."""
    settings = {
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False, "verify_trust": True},
        "builder": {"thumbnail": {"enabled": False}},
        "trust": {"trust_config": C2PA_EKUS},
    }
    anchors = setting("PICDESK_C2PA_TRUST_ANCHORS")
    if anchors:
        settings["trust"]["trust_anchors"] = Path(anchors).read_text()
    for section, values in extra.items():
        settings.setdefault(section, {}).update(values)
    return settings


def c2pa_context(**extra):
    # Imported here: the native library takes a tenth of a second to load, and
    # most picdesk commands never read a manifest.
    import c2pa

    return c2pa.Context(c2pa.Settings.from_dict(c2pa_settings(**extra)))


def read_credentials(source: Union[bytes, os.PathLike], mime_type: str = "image/jpeg") -> Credentials:
    """The validated Content Credentials of the image in ``source`` (bytes or a
    path). A file without a manifest gives state ``none``; one whose manifest
    cannot be parsed or does not verify gives ``invalid`` with the reasons.
    Never raises for what a file contains."""
    import c2pa

    if mime_type not in c2pa.Reader.get_supported_mime_types():
        return Credentials()
    try:
        with _open(source) as stream:
            reader = c2pa.Reader.try_create(mime_type, stream, None, c2pa_context())
            if reader is None:
                return Credentials()
            with reader:
                store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        return Credentials(state=INVALID, problems=[_c2pa_problem(exc)])
    return _credentials(store)


def _open(source):
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return open(source, "rb")


def _c2pa_problem(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "remote" in text.lower():
        return "the manifest is stored remotely and picdesk does not fetch it: " + text
    return "the manifest cannot be read: " + text


def _credentials(store: dict) -> Credentials:
    manifests = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest")) or {}
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [f"{item.get('code')}: {item.get('explanation', '')}".strip() for item in results.get("failure") or []]
    state = {"Trusted": TRUSTED, "Valid": UNTRUSTED}.get(store.get("validation_state"), INVALID)
    if state == UNTRUSTED and not failures:
        failures = ["the signer is not among the trust anchors (PICDESK_C2PA_TRUST_ANCHORS)"]
    if not active:
        state, failures = INVALID, failures or ["the manifest store names no active manifest"]
    signature = active.get("signature_info") or {}
    return Credentials(
        state=state,
        problems=[] if state == TRUSTED else failures,
        signer=_text(signature.get("issuer") or signature.get("common_name")),
        signed_at=_text(signature.get("time")),
        claim_generator=_generator(active),
        actions=_actions(active),
        ingredients=[{"title": _text(i.get("title")), "relationship": _text(i.get("relationship"))}
                     for i in active.get("ingredients") or [] if isinstance(i, dict)],
        source_type=most_disclosing([a["source_type"] for m in manifests.values() if isinstance(m, dict)
                                     for a in _actions(m)]),
    )


def _generator(manifest: dict) -> str:
    info = manifest.get("claim_generator_info") or []
    if info and isinstance(info[0], dict):
        return " ".join(filter(None, [_text(info[0].get("name")), _text(info[0].get("version"))]))
    return _text(manifest.get("claim_generator"))


def _actions(manifest: dict) -> list[dict]:
    actions = []
    for assertion in manifest.get("assertions") or []:
        if not isinstance(assertion, dict) or not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            if isinstance(action, dict):
                actions.append(_action(action))
    return actions


def _action(action: dict) -> dict:
    agent = action.get("softwareAgent")
    if isinstance(agent, dict):
        agent = agent.get("name")
    name = _text(action.get("action"))
    return {
        "action": name,
        "name": ACTION_NAMES.get(name, name.removeprefix("c2pa.").replace("_", " ")),
        "when": _text(action.get("when")),
        "agent": _text(agent),
        "source_type": _text(action.get("digitalSourceType")),
    }


# C2PA 2.x standard actions, as people say them.
ACTION_NAMES = {
    "c2pa.created": "created", "c2pa.opened": "opened", "c2pa.placed": "placed an ingredient",
    "c2pa.edited": "edited", "c2pa.edited.metadata": "edited the metadata", "c2pa.color_adjustments": "adjusted colours",
    "c2pa.cropped": "cropped", "c2pa.resized": "resized", "c2pa.transcoded": "re-encoded",
    "c2pa.converted": "converted", "c2pa.filtered": "filtered", "c2pa.drawing": "drew on it",
    "c2pa.orientation": "rotated", "c2pa.published": "published", "c2pa.redacted": "redacted",
    "c2pa.removed": "removed something",
}


def _text(value) -> str:
    # Manifests are untrusted input like any metadata: strings only, bounded.
    return str(value).strip()[:500] if isinstance(value, (str, int, float)) else ""
