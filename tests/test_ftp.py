"""`picdesk ftp`: cameras transmit over FTP and FTPS. Python's ftplib plays the
camera against the real command."""

import datetime as dt
import ftplib
import io
import socket
import subprocess
import sys

import pytest

from tests.waiting import wait_for
from tests.conftest import DESK_PASSWORD
from tests.factories import agency_jpeg
from tests.test_cli import free_port, picdesk, picdesk_env


def photo_captions(home) -> list[str]:
    result = picdesk(home, "manage", "shell", "-c",
                     "from picdesk.photos.models import Photo; print(sorted(Photo.objects.values_list('caption', flat=True)))")
    return eval(result.stdout.strip().splitlines()[-1])


def staged_files(home) -> list:
    staging = home / "ftp-staging"
    return [p for p in staging.rglob("*") if p.is_file()] if staging.exists() else []


def wait_until(probe, what: str = "the FTP server never got there"):
    return wait_for(probe, what, every=0.2)


def test_a_camera_sends_a_photo_and_it_arrives(ftp_server):
    home, port = ftp_server()
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.storbinary("STOR IMG_0001.JPG", io.BytesIO(agency_jpeg("Sent from the camera.")))
    assert wait_until(lambda: photo_captions(home)) == ["Sent from the camera."]
    assert wait_until(lambda: not staged_files(home))


def test_wrong_passwords_are_refused_and_nothing_escapes_the_folder(ftp_server):
    home, port = ftp_server()
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        with pytest.raises(ftplib.error_perm, match="530"):
            ftp.login("cam", "not-the-password")
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        for name in ("../../evil.jpg", "/../../evil.jpg"):
            try:
                ftp.storbinary(f"STOR {name}", io.BytesIO(agency_jpeg("Escaped.")))
            except ftplib.error_perm:
                pass
        with pytest.raises(ftplib.error_perm):
            ftp.delete("anything.jpg")  # it may only list and store
    # Each STOR was answered once the server had written (or refused) it: nothing to wait for.
    # "../" never leaves the account's folder: pyftpdlib resolves names inside it.
    assert [p for p in home.parent.parent.rglob("evil.jpg") if "ftp-staging" not in p.parts] == []


def test_an_aborted_or_oversized_transfer_leaves_nothing(ftp_server):
    data = agency_jpeg("Never complete.", width=1200, height=800)
    home, port = ftp_server(PICDESK_MAX_UPLOAD_BYTES=str(len(data) // 2))
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        conn = ftp.transfercmd("STOR aborted.jpg")
        conn.sendall(data[: len(data) // 4])
        ftp.abort()
        conn.close()
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        with pytest.raises((ftplib.error_temp, ftplib.error_reply, ConnectionError, socket.error)):
            ftp.storbinary("STOR toolarge.jpg", io.BytesIO(data))
    # A transfer after them, once ingested, shows the server is past the two.
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.storbinary("STOR after.jpg", io.BytesIO(agency_jpeg("Sent after.")))
    assert wait_until(lambda: photo_captions(home)) == ["Sent after."]
    assert staged_files(home) == []


def _certificate(folder):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    path = folder / "ftp.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


def test_ftps_with_a_certificate_and_plain_logins_refused(ftp_server, tmp_path):
    import ssl

    home, port = ftp_server(PICDESK_FTP_CERT=str(_certificate(tmp_path)))
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        with pytest.raises(ftplib.error_perm, match="SSL/TLS required"):
            ftp.login("cam", DESK_PASSWORD)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's own self-signed certificate
    with ftplib.FTP_TLS(context=context) as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.prot_p()
        ftp.storbinary("STOR IMG_0002.JPG", io.BytesIO(agency_jpeg("Sent over TLS.")))
    assert wait_until(lambda: photo_captions(home)) == ["Sent over TLS."]


def test_serve_starts_the_ftp_server_and_its_workers_render_what_arrives(tmp_path):
    home = tmp_path / "home"
    assert picdesk(home, "createuser", "cam", "--role", "contributor", stdin=DESK_PASSWORD + "\n").returncode == 0
    ftp_port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(free_port())],
        env=picdesk_env(PICDESK_FTP_PORT=str(ftp_port), PICDESK_WORKERS="1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert "ftp server on" in server.stdout.readline()
        with ftplib.FTP() as ftp:
            ftp.connect("127.0.0.1", ftp_port)
            ftp.login("cam", DESK_PASSWORD)
            ftp.storbinary("STOR IMG_0003.JPG", io.BytesIO(agency_jpeg("Through serve.", width=800, height=600)))
        assert wait_until(lambda: photo_captions(home)) == ["Through serve."]
        renditions = lambda: picdesk(home, "manage", "shell", "-c", "from picdesk.photos.models import Rendition; "
                                     "print(Rendition.objects.filter(format='jpeg').count())").stdout.split()[-1]
        assert wait_until(lambda: int(renditions()) > 0, "no rendition was ever made")
    finally:
        server.terminate()
        server.wait(timeout=60)
