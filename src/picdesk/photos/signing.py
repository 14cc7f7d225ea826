"""Content Credentials out: renditions signed by the publisher.

A rendition is re-encoded, so the camera's or agency's manifest no longer
binds to its bytes. When ``PICDESK_C2PA_CERT`` and ``PICDESK_C2PA_KEY`` are set,
every rendition picdesk stores carries a C2PA manifest of its own, signed with
them: what picdesk did (opened the original, cropped, resized, re-encoded,
edited the metadata, published), the credit, by-line and copyright, and the
original as its ``parentOf`` ingredient, which brings the original's own
manifest along so a reader's verifier sees the whole chain. Unset, renditions
carry no manifest and nothing is claimed.

The original is read once per photo (``PhotoSigner``) and kept as a C2PA
ingredient archive; each rendition's manifest then costs a few milliseconds.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from functools import cached_property
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage

import picdesk
from picdesk.core.config import setting
from picdesk.photos.imaging import EncodedImage
from picdesk.photos.metadata import EDITED
from picdesk.photos.spec import MIME_TYPES
from picdesk.photos.provenance import c2pa_context

ORIGINAL = "original"  # the ingredient's label, which the actions point at
# The texts every rendition carries (renditions.rights_metadata), so a desk
# edit to one remakes the renditions, whose manifest then declares it.
EDITABLE_TEXT = ("caption", "credit", "byline", "copyright_notice")


def signing_configured() -> bool:
    return bool(setting("PICDESK_C2PA_CERT") and setting("PICDESK_C2PA_KEY"))


def edited_fields(photo) -> list[str]:
    """The texts of ``photo`` that the desk changed from what the file said."""
    return [name for name in EDITABLE_TEXT if photo.metadata_sources.get(name) == EDITED]


def publisher_name() -> str:
    """The organisation (else common name) of the publisher's signing
    certificate; "" when renditions are not signed."""
    if not signing_configured():
        return ""
    path = Path(setting("PICDESK_C2PA_CERT"))
    try:
        modified = path.stat().st_mtime
    except OSError:
        _read("PICDESK_C2PA_CERT")  # raises, naming the setting
    return _subject_name(path, modified)


@functools.lru_cache(maxsize=4)
def _subject_name(path: Path, modified: float) -> str:
    # A page names the publisher once per photo: parse the certificate once.
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        names = certificate.subject.get_attributes_for_oid(oid)
        if names:
            return str(names[0].value)
    return ""


def signer_for(photo) -> "PhotoSigner | None":
    """A signer for ``photo``'s renditions, or None in an unsigned setup."""
    return PhotoSigner(photo) if signing_configured() else None


class PhotoSigner:
    """Signs the renditions of one photo; made once per batch of them."""

    def __init__(self, photo, open_original=None):
        """``open_original``: returns the original as a binary file (default:
        from storage, where ingest put it)."""
        self.photo = photo
        self.open_original = open_original or (lambda: default_storage.open(photo.original, "rb"))
        # Reading back each manifest just signed cost a third of signing; the
        # tests verify every kind of rendition with c2pa-python instead.
        self.context = c2pa_context(verify={"verify_after_sign": False})

    @cached_property
    def _publisher(self):
        # Reading and parsing the key for each rendition was a sixth of signing.
        return _signer()

    @cached_property
    def _ingredient(self) -> bytes:
        import c2pa

        builder = c2pa.Builder({"claim_generator_info": [_generator()]}, self.context)
        with builder, self.open_original() as original:
            builder.add_ingredient(
                # Its public key, not the file's name: the name a photographer or
                # a wire gave it ("DSC_0042 copy for legal.jpg") is the desk's.
                {"title": self.photo.public_key, "relationship": "parentOf", "label": ORIGINAL},
                self.photo.mime_type, original,
            )
            archive = io.BytesIO()
            builder.write_ingredient_archive(ORIGINAL, archive)
        return archive.getvalue()

    def sign(self, encoded: EncodedImage, crop: str = "") -> EncodedImage:
        """``encoded`` with the publisher's manifest embedded."""
        import c2pa

        builder = c2pa.Builder(self.manifest(encoded, crop), self.context)
        with builder:
            builder.add_ingredient_from_archive(io.BytesIO(self._ingredient))
            signed = io.BytesIO()
            builder.sign(self._publisher, MIME_TYPES[encoded.format], io.BytesIO(encoded.data), signed)
        return dataclasses.replace(encoded, data=signed.getvalue())

    def manifest(self, encoded: EncodedImage, crop: str) -> dict:
        photo = self.photo
        opened = {"action": "c2pa.opened", "parameters": {"ingredientIds": [ORIGINAL]}}
        if photo.source_type:
            # Whichever source said it (the original's manifest, its IPTC
            # metadata, the desk), the signed manifest says it too.
            opened["digitalSourceType"] = photo.source_type
        actions = [opened]
        if crop:
            actions.append({"action": "c2pa.cropped", "parameters": {"description": f"cropped to {crop}"}})
        if encoded.width < photo.width:
            actions.append({"action": "c2pa.resized", "parameters": {"description": f"{encoded.width} px wide"}})
        actions.append({"action": "c2pa.transcoded", "parameters": {"description": f"re-encoded as {encoded.format}"}})
        edited = edited_fields(photo)
        if edited:
            actions.append({"action": "c2pa.edited.metadata",
                            "parameters": {"description": "edited on the desk: " + ", ".join(edited)}})
        actions.append({"action": "c2pa.published"})
        return {
            "claim_generator_info": [_generator()],
            "title": f"{encoded.width}.{encoded.format}",
            "format": MIME_TYPES[encoded.format],
            "assertions": [
                {"label": "c2pa.actions.v2", "data": {"actions": actions}},
                {"label": "c2pa.metadata", "data": _rights(photo)},
            ],
        }


def _rights(photo) -> dict:
    # C2PA's metadata assertion is JSON-LD over the XMP namespaces.
    rights = {"@context": {"dc": "http://purl.org/dc/elements/1.1/",
                           "photoshop": "http://ns.adobe.com/photoshop/1.0/"}}
    if photo.byline:
        rights["dc:creator"] = [photo.byline]
    if photo.copyright_notice:
        rights["dc:rights"] = photo.copyright_notice
    if photo.credit:
        rights["photoshop:Credit"] = photo.credit
    return rights


def _generator() -> dict:
    return {"name": "picdesk", "version": picdesk.__version__}


def _signer():
    import c2pa

    key = _read("PICDESK_C2PA_KEY")
    info = c2pa.C2paSignerInfo(_algorithm(key), _read("PICDESK_C2PA_CERT"), key,
                               setting("PICDESK_C2PA_TSA_URL") or None)
    return c2pa.Signer.from_info(info)


def _read(name: str) -> bytes:
    try:
        return Path(setting(name)).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}: cannot read {setting(name)}: {exc.strerror}") from None


def _algorithm(key_pem: bytes) -> bytes:
    """The C2PA signing algorithm a private key implies."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"PICDESK_C2PA_KEY: not an unencrypted PEM private key ({exc})") from None
    if isinstance(key, ec.EllipticCurvePrivateKey):
        curves = {"secp256r1": b"es256", "secp384r1": b"es384", "secp521r1": b"es512"}
        if key.curve.name in curves:
            return curves[key.curve.name]
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return b"ed25519"
    if isinstance(key, rsa.RSAPrivateKey):
        return b"ps256"  # C2PA allows RSA only as RSASSA-PSS
    raise ImproperlyConfigured(f"PICDESK_C2PA_KEY: C2PA cannot sign with a {type(key).__name__}")
