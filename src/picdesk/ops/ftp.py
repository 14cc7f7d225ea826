"""``picdesk ftp``: cameras transmit straight to the desk over FTP or FTPS.

Canon, Nikon and Sony bodies push JPEGs over FTP/FTPS; pyftpdlib is the FTP
server. Each desk account (contributor or above) signs in with its own name
and password and lands in a staging folder of its own, which it can list and
write to and nothing else. A file is ingested, through the same ingest as
every channel, only once its transfer completed; an aborted one (ABOR, a
dropped connection) or one cut at PICDESK_MAX_UPLOAD_BYTES is deleted, so
nothing half-written is ever kept. With a certificate configured
(PICDESK_FTP_CERT), TLS is required for the login and the data.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
from pyftpdlib.handlers import DTPHandler, FTPHandler, TLS_DTPHandler, TLS_FTPHandler
from pyftpdlib.servers import ThreadedFTPServer

from picdesk.core.config import setting
from picdesk.core.folders import SIDECAR_SUFFIX, sidecar_of

logger = logging.getLogger(__name__)

PERMISSIONS = "elw"  # change into its folder, list it, store files: nothing else


class DeskAuthorizer(DummyAuthorizer):
    """Desk accounts, checked by Django's authentication, each jailed in
    ``staging/<account id>/``."""

    def __init__(self, staging: Path):
        super().__init__()
        self.staging = staging
        self.accounts = {}  # user name -> the signed-in desk account

    def validate_authentication(self, username, password, handler):
        from django.contrib.auth import authenticate
        from django.db import close_old_connections

        from picdesk.core.roles import has_role

        close_old_connections()
        user = authenticate(username=username, password=password)
        if user is None or not has_role(user, "contributor"):
            raise AuthenticationFailed("Authentication failed.")
        self.accounts[username] = user

    def get_home_dir(self, username):
        home = self.staging / str(self.accounts[username].pk)
        home.mkdir(parents=True, exist_ok=True)
        return str(home)

    def has_user(self, username):
        return username in self.accounts

    def has_perm(self, username, perm, path=None):
        return perm in PERMISSIONS

    def get_perms(self, username):
        return PERMISSIONS

    def get_msg_login(self, username):
        return "Signed in to picdesk: send photos."

    def get_msg_quit(self, username):
        return "Goodbye."


class _CutAtTheLimit:
    """A data channel that stops receiving past PICDESK_MAX_UPLOAD_BYTES: the
    transfer then counts as incomplete, and the partial file is deleted."""

    def handle_read_event(self):
        super().handle_read_event()
        if self.receive and not self._closed and self.tot_bytes_received > setting("PICDESK_MAX_UPLOAD_BYTES"):
            self._resp = ("426 Transfer aborted: over the upload size limit.", logger.info)
            self.transfer_finished = False
            self.close()


class LimitedDTPHandler(_CutAtTheLimit, DTPHandler):
    pass


class LimitedTLSDTPHandler(_CutAtTheLimit, TLS_DTPHandler):
    pass


class _Ingesting:
    """What happens to a file once its transfer ends."""

    def on_file_received(self, file):
        from django.db import close_old_connections

        from picdesk.photos.ingest import Arrival, IngestError, ingest_file

        path = Path(file)
        if path.suffix.lower() == SIDECAR_SUFFIX:
            return  # kept for its photo, which comes after it (a sidecar sent later is not read)
        sidecar = sidecar_of(path)
        try:
            result = ingest_file(path, arrival=Arrival("ftp", user=self.authorizer.accounts.get(self.username)))
            logger.info("ftp %s: %s %s", self.username, "imported" if result.created else "reused", path.name)
        except IngestError as exc:
            logger.warning("ftp %s: refused %s: %s", self.username, path.name, exc.reason)
        finally:
            _remove(path)
            if sidecar is not None:
                _remove(sidecar)
            close_old_connections()

    def on_incomplete_file_received(self, file):
        logger.info("ftp %s: incomplete %s, deleted", self.username, Path(file).name)
        _remove(Path(file))


class IngestingFTPHandler(_Ingesting, FTPHandler):
    dtp_handler = LimitedDTPHandler


class IngestingTLSFTPHandler(_Ingesting, TLS_FTPHandler):
    dtp_handler = LimitedTLSDTPHandler
    tls_control_required = True
    tls_data_required = True


def _remove(path: Path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def make_server(host: str, port: int) -> ThreadedFTPServer:
    """The FTP server for this home, not yet serving (``serve_forever``)."""
    from django.conf import settings

    cert = setting("PICDESK_FTP_CERT")
    handler = type("Handler", (IngestingTLSFTPHandler if cert else IngestingFTPHandler,), {})
    if cert:
        handler.certfile = cert
        handler.keyfile = setting("PICDESK_FTP_KEY") or cert
    handler.authorizer = DeskAuthorizer(settings.HOME / "ftp-staging")
    if passive := setting("PICDESK_FTP_PASSIVE_PORTS"):
        handler.passive_ports = passive
    handler.banner = "picdesk ready."
    return ThreadedFTPServer((host, port), handler)
