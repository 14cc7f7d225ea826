"""Content Credentials in: C2PA manifests read and validated on import, and
Digital Source Type, through real files signed with the tests' own chain."""

from __future__ import annotations

import socket
import threading

import pyexiv2
import pytest

from picdesk.photos import provenance
from picdesk.photos.ingest import ingest_bytes
from tests.credentials import AI_GENERATED, COMPOSITE, camera_manifest, make_pki, sign_jpeg
from tests.factories import agency_jpeg, make_jpeg

pytestmark = pytest.mark.django_db


def test_a_trusted_camera_manifest_is_verified_and_kept(trusted, agency_pki):
    photo = ingest_bytes(sign_jpeg(agency_jpeg("Signed."), agency_pki), "signed.jpg").photo
    credentials = photo.content_credentials
    assert credentials.state == provenance.TRUSTED and credentials.problems == []
    assert credentials.signer == "Test Agency"
    assert credentials.claim_generator == "Test Camera 1.0"
    assert [a["action"] for a in credentials.actions] == ["c2pa.created"]
    assert credentials.actions[0]["source_type"].endswith("/digitalCapture")
    assert photo.source_label == ""


def test_an_unknown_signer_is_not_verified(trusted, stranger_pki):
    credentials = provenance.read_credentials(sign_jpeg(agency_jpeg("Stranger."), stranger_pki))
    assert credentials.state == provenance.UNTRUSTED
    assert credentials.signer == "Unknown Signer"
    assert any("signingCredential.untrusted" in problem for problem in credentials.problems)


def test_without_trust_anchors_every_signer_is_unknown(agency_pki):
    credentials = provenance.read_credentials(sign_jpeg(agency_jpeg("Signed."), agency_pki))
    assert credentials.state == provenance.UNTRUSTED


def test_pixels_tampered_after_signing_do_not_verify(trusted, agency_pki):
    signed = bytearray(sign_jpeg(make_jpeg(400, 300, quality=95), agency_pki))
    # Flip bytes in the entropy-coded data, past every header and the manifest.
    for offset in range(len(signed) - 400, len(signed) - 200, 7):
        signed[offset] ^= 0x55
    credentials = provenance.read_credentials(bytes(signed))
    assert credentials.state == provenance.INVALID
    assert any("assertion.dataHash.mismatch" in problem for problem in credentials.problems)


def test_metadata_tampered_after_signing_does_not_verify(trusted, agency_pki):
    signed = sign_jpeg(agency_jpeg("The true caption."), agency_pki)
    with pyexiv2.ImageData(signed) as image:
        image.modify_xmp({"Xmp.dc.description": {'lang="x-default"': "A forged caption."}})
        forged = image.get_bytes()
    credentials = provenance.read_credentials(forged)
    assert credentials.state == provenance.INVALID
    assert any("dataHash.mismatch" in problem for problem in credentials.problems)


def test_a_file_without_a_manifest_has_none():
    credentials = provenance.read_credentials(agency_jpeg("Plain."))
    assert credentials.state == provenance.NONE and credentials.as_dict() == {}
    assert ingest_bytes(agency_jpeg("Plain."), "plain.jpg").photo.credentials == {}


def test_ai_generated_by_digital_source_type_in_xmp():
    data = make_jpeg(xmp={"Xmp.iptcExt.DigitalSourceType": AI_GENERATED, "Xmp.photoshop.Credit": "AGENCY"})
    photo = ingest_bytes(data, "ai.jpg").photo
    assert photo.digital_source_type == AI_GENERATED
    assert photo.source_label == "AI-generated"


def test_ai_generated_by_the_manifest_alone(trusted, agency_pki):
    manifest = camera_manifest(AI_GENERATED, generator="Image Generator")
    photo = ingest_bytes(sign_jpeg(agency_jpeg("Made."), agency_pki, manifest), "made.jpg").photo
    assert photo.digital_source_type == ""
    assert photo.source_label == "AI-generated"


def test_no_source_can_hide_another_sources_label(trusted, agency_pki):
    data = make_jpeg(xmp={"Xmp.iptcExt.DigitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"})
    photo = ingest_bytes(sign_jpeg(data, agency_pki, camera_manifest(COMPOSITE)), "c.jpg").photo
    assert photo.source_label == "Composite"
    assert provenance.disclosure_label("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
                                       COMPOSITE) == "AI-generated"
    assert provenance.disclosure_label("not a uri", "") == ""


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it is offered."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


def test_validation_never_connects_out(trusted, tmp_path, monkeypatch):
    """A remote manifest and a certificate naming an OCSP responder, both on a
    listener here: reading them must offer it no connection."""
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}"
        pki = make_pki(tmp_path / "ocsp-pki", "OCSP Agency", ocsp_url=f"{url}/ocsp")
        anchors = tmp_path / "with-ocsp.pem"
        anchors.write_bytes(trusted.read_bytes() + pki.root.read_bytes())
        monkeypatch.setenv("PICDESK_C2PA_TRUST_ANCHORS", str(anchors))
        remote = provenance.read_credentials(sign_jpeg(agency_jpeg("Remote."), pki, remote_url=f"{url}/manifest.c2pa"))
        embedded = provenance.read_credentials(sign_jpeg(agency_jpeg("OCSP."), pki))
    finally:
        listener.close()
    assert listener.connections == 0
    assert remote.state == provenance.INVALID and "remote" in remote.problems[0]
    assert embedded.state == provenance.TRUSTED


def test_a_camera_that_signs_with_document_signing_alone_is_verified(tmp_path, monkeypatch):
    """C2PA 2.x allows id-kp-documentSigning as a signer's only extended key
    usage, and other implementations accept it."""
    from tests.credentials import DOCUMENT_SIGNING

    camera = make_pki(tmp_path / "camera", "Document Camera", usage=DOCUMENT_SIGNING)
    monkeypatch.setenv("PICDESK_C2PA_TRUST_ANCHORS", str(camera.root))
    credentials = provenance.read_credentials(sign_jpeg(agency_jpeg("Signed."), camera))
    assert credentials.state == provenance.TRUSTED, credentials.problems
    assert credentials.signer == "Document Camera"
