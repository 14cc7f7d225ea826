"""Content Credentials out: every rendition signed by the publisher, verified
here by c2pa-python itself, and an unsigned setup claiming nothing."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage

from picdesk.photos import signing
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.renditions import ensure_rendition, make_background_renditions, make_renditions
from picdesk.slideshows.kills import kill_photo
from tests.credentials import read_store, sign_jpeg
from tests.factories import agency_jpeg

pytestmark = pytest.mark.django_db(transaction=True)
MIME = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}


def every_rendition(photo):
    make_renditions(photo)
    make_background_renditions(photo)
    ensure_rendition(photo, 320, "jpeg", "16x9")
    renditions = list(photo.renditions.all())
    assert {r.format for r in renditions} == {"jpeg", "webp", "avif"} and any(r.crop for r in renditions)
    return renditions


def actions_of(manifest) -> list[dict]:
    return next(a["data"]["actions"] for a in manifest["assertions"] if a["label"].startswith("c2pa.actions"))


def manifest_of(rendition, anchors):
    with default_storage.open(rendition.file, "rb") as file:
        data = file.read()
    assert len(data) == rendition.file_size
    reader = read_store(data, MIME[rendition.format], anchors)
    return reader.get_validation_state(), json.loads(reader.json())


def test_every_rendition_carries_a_verifying_manifest_naming_the_original(signing, trusted, agency_pki):
    camera = sign_jpeg(agency_jpeg("Signed at the scene.", width=900, height=600), agency_pki)
    photo = ingest_bytes(camera, "DSC_0001.jpg").photo
    for rendition in every_rendition(photo):
        state, store = manifest_of(rendition, trusted)
        assert state == "Trusted", (rendition, store.get("validation_results"))
        active = store["manifests"][store["active_manifest"]]
        assert active["signature_info"]["issuer"] == "Test Publisher"
        (ingredient,) = active["ingredients"]
        # Named by its public key: the file name stays on the desk.
        assert ingredient["title"] == photo.public_key and ingredient["relationship"] == "parentOf"
        assert "DSC_0001" not in json.dumps(active)
        # The original's own manifest travels with it, the camera's signature intact.
        camera_manifest = store["manifests"][ingredient["active_manifest"]]
        assert camera_manifest["claim_generator_info"][0]["name"] == "Test Camera"
        assert camera_manifest["signature_info"]["issuer"] == "Test Agency"
        actions = [a["action"] for a in actions_of(active)]
        assert actions[0] == "c2pa.opened" and "c2pa.transcoded" in actions and actions[-1] == "c2pa.published"
        assert ("c2pa.cropped" in actions) == bool(rendition.crop)
        assert ("c2pa.resized" in actions) == (rendition.width < photo.width)
        metadata = next(a["data"] for a in active["assertions"] if a["label"] == "c2pa.metadata")
        assert metadata["photoshop:Credit"] == "AGENCY" and metadata["dc:creator"] == ["Jane Doe"]


def test_a_caption_edited_on_the_desk_is_declared(signing, trusted):
    photo = ingest_bytes(agency_jpeg("As filed.", width=700, height=500), "plain.jpg").photo
    photo.caption = "As corrected."
    photo.metadata_sources["caption"] = "edited"
    photo.save()
    state, store = manifest_of(make_renditions(photo)[0], trusted)
    active = store["manifests"][store["active_manifest"]]
    edits = [a for a in actions_of(active) if a["action"] == "c2pa.edited.metadata"]
    assert state == "Trusted" and "caption" in edits[0]["parameters"]["description"]
    # An original without Content Credentials is still the named ingredient.
    assert active["ingredients"][0]["title"] == photo.public_key


def test_unsigned_setups_claim_nothing(trusted):
    assert not signing.signing_configured() and signing.publisher_name() == ""
    photo = ingest_bytes(agency_jpeg("Unsigned.", width=700, height=500), "plain.jpg").photo
    for rendition in make_renditions(photo):
        with default_storage.open(rendition.file, "rb") as file:
            assert b"c2pa" not in file.read()


def test_killing_a_photo_removes_its_renditions_and_their_manifests(signing, trusted, agency_pki):
    photo = ingest_bytes(sign_jpeg(agency_jpeg("To be killed.", width=700, height=500), agency_pki), "k.jpg").photo
    files = [r.file for r in every_rendition(photo)]
    assert all(default_storage.exists(name) for name in files)
    kill_photo(photo, "Manipulated")
    assert not photo.renditions.exists()
    assert not any(default_storage.exists(name) for name in files)


def test_the_signing_algorithm_follows_the_key(tmp_path, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    pem = serialization.Encoding.PEM
    plain = (serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert signing._algorithm(ec.generate_private_key(ec.SECP384R1()).private_bytes(pem, *plain)) == b"es384"
    assert signing._algorithm(ed25519.Ed25519PrivateKey.generate().private_bytes(pem, *plain)) == b"ed25519"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="PICDESK_C2PA_KEY"):
        signing._algorithm(b"not a key")


def test_an_ai_label_from_iptc_metadata_is_in_the_signed_manifest(signing, trusted):
    """No manifest on the original, only XMP's Digital Source Type: the
    publisher's manifest says it all the same."""
    from tests.credentials import AI_GENERATED
    from tests.factories import make_jpeg

    data = make_jpeg(700, 500, xmp={"Xmp.iptcExt.DigitalSourceType": AI_GENERATED, "Xmp.photoshop.Credit": "AGENCY"})
    photo = ingest_bytes(data, "render.jpg").photo
    assert photo.source_label == "AI-generated"
    state, store = manifest_of(make_renditions(photo)[0], trusted)
    opened = actions_of(store["manifests"][store["active_manifest"]])[0]
    assert state == "Trusted" and opened["action"] == "c2pa.opened"
    assert opened["digitalSourceType"] == AI_GENERATED


def test_a_time_stamp_keeps_a_signature_verifying_after_the_certificate_expires(tmp_path, monkeypatch):
    """With PICDESK_C2PA_TSA_URL (here an RFC 3161 authority of the test's
    own) the signing time is attested: once the publisher's certificate has
    expired, the time-stamped rendition still verifies and the other does not."""
    import datetime as dt

    from cryptography import x509

    from tests.credentials import make_pki
    from tests.tsa import TimeStampAuthority
    from tests.waiting import wait_for

    tsa = TimeStampAuthority(tmp_path)
    publisher = make_pki(tmp_path / "short", "Short-lived Publisher", lifetime=dt.timedelta(seconds=4))
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(publisher.root.read_bytes() + tsa.root_pem.read_bytes())
    for name, value in {"PICDESK_C2PA_CERT": publisher.chain, "PICDESK_C2PA_KEY": publisher.key,
                        "PICDESK_C2PA_TRUST_ANCHORS": anchors}.items():
        monkeypatch.setenv(name, str(value))
    photo = ingest_bytes(agency_jpeg("Time-stamped.", width=700, height=500), "stamped.jpg").photo
    monkeypatch.setenv("PICDESK_C2PA_TSA_URL", tsa.url)
    stamped = ensure_rendition(photo, 320, "jpeg", "16x9")
    monkeypatch.delenv("PICDESK_C2PA_TSA_URL")
    unstamped = ensure_rendition(photo, 320, "jpeg", "1x1")
    assert tsa.served == 1
    state, store = manifest_of(stamped, anchors)
    codes = {item["code"] for item in store["validation_results"]["activeManifest"]["success"]}
    assert state == "Trusted" and {"timeStamp.validated", "timeStamp.trusted"} <= codes

    expires = x509.load_pem_x509_certificates(publisher.chain.read_bytes())[0].not_valid_after_utc
    wait_for(lambda: dt.datetime.now(dt.timezone.utc) > expires + dt.timedelta(seconds=1),
             "the certificate never expired", 30, every=0.2)
    assert manifest_of(stamped, anchors)[0] == "Trusted"
    state, store = manifest_of(unstamped, anchors)
    failures = {item["code"] for item in store["validation_results"]["activeManifest"]["failure"]}
    assert state == "Invalid" and "signingCredential.expired" in failures, failures
