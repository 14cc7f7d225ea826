"""A certificate chain of the tests' own and JPEGs signed with it.

``make_pki`` makes, with ``cryptography``, what a C2PA signer needs (C2PA
§14.5: a v3 end-entity certificate with digitalSignature, an allowed extended
key usage, authority and subject key identifiers, issued by a CA that is not
in the chain it sends): a root, an intermediate, and a signer's chain and key.
``sign_jpeg`` signs a real JPEG with ``c2pa-python``, as a camera or an
agency's system would.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DIGITAL_CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
AI_GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/composite"


@dataclass(frozen=True)
class Pki:
    root: Path  # the trust anchor, PEM
    chain: Path  # the signer's certificate and the intermediate, PEM
    key: Path  # the signer's private key, PEM
    organisation: str


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])


def _usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


# id-kp-documentSigning (RFC 9336), which C2PA 2.x allows a signer to carry alone.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


def _certificate(subject, issuer, public_key, issuer_key, *, ca: bool, ocsp_url: str = "",
                 usage: x509.ObjectIdentifier = ExtendedKeyUsageOID.EMAIL_PROTECTION,
                 lifetime: dt.timedelta = dt.timedelta(days=365)) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + lifetime)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if ocsp_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(folder: Path, organisation: str = "Test Agency", *, ocsp_url: str = "",
             usage: x509.ObjectIdentifier = ExtendedKeyUsageOID.EMAIL_PROTECTION,
             lifetime: dt.timedelta = dt.timedelta(days=365)) -> Pki:
    """``lifetime``: how long from now the signer's own certificate is valid."""
    folder.mkdir(parents=True, exist_ok=True)
    root_key, middle_key, signer_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name = _name(f"{organisation} Root CA", organisation)
    middle_name = _name(f"{organisation} Intermediate CA", organisation)
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True)
    middle = _certificate(middle_name, root_name, middle_key.public_key(), root_key, ca=True)
    signer = _certificate(_name(f"{organisation} Signer", organisation), middle_name, signer_key.public_key(),
                          middle_key, ca=False, ocsp_url=ocsp_url, usage=usage, lifetime=lifetime)
    pem = serialization.Encoding.PEM
    pki = Pki(folder / "root.pem", folder / "chain.pem", folder / "key.pem", organisation)
    pki.root.write_bytes(root.public_bytes(pem))
    pki.chain.write_bytes(signer.public_bytes(pem) + middle.public_bytes(pem))
    pki.key.write_bytes(signer_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    return pki


def camera_manifest(source_type: str = DIGITAL_CAPTURE, generator: str = "Test Camera") -> dict:
    return {
        "claim_generator_info": [{"name": generator, "version": "1.0"}],
        "title": "DSC_0001.jpg",
        "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [
            {"action": "c2pa.created", "digitalSourceType": source_type},
        ]}}],
    }


def sign_jpeg(data: bytes, pki: Pki, manifest: dict | None = None, *, remote_url: str = "") -> bytes:
    """``data`` signed by ``pki``'s signer with ``manifest`` (a camera's, by
    default); with ``remote_url``, the manifest is left out of the file, which
    only points at that address."""
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", pki.chain.read_bytes(), pki.key.read_bytes(), None))
    # Signed as another implementation would: no check against c2pa-rs's own
    # EKU list on the way out (a documentSigning-only camera is allowed).
    context = c2pa.Context(c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}},
                                                    "verify": {"verify_after_sign": False}}))
    with c2pa.Builder(manifest or camera_manifest(), context) as builder:
        if remote_url:
            builder.set_no_embed()
            builder.set_remote_url(remote_url)
        signed = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(data), signed)
    return signed.getvalue()


def read_store(data: bytes, mime_type: str, anchors: Path) -> c2pa.Reader:
    """An independent reading of a signed file, trusting only ``anchors``."""
    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
                "trust": {"trust_anchors": anchors.read_text()}}
    return c2pa.Reader(mime_type, io.BytesIO(data), None, c2pa.Context(c2pa.Settings.from_dict(settings)))
