"""``picdesk ftp``: cameras transmit straight to the desk over FTP or FTPS.

Canon, Nikon and Sony bodies push JPEGs over FTP/FTPS; pyftpdlib is the FTP
server. Each desk account (contributor or above) signs in with its own name
and password and lands in a staging folder of its own, which it can list and
write to and nothing else. A file is ingested, through the same ingest as
every channel, only once its transfer completed; an aborted one (ABOR, a
dropped connection) or one cut at PICDESK_MAX_UPLOAD_BYTES is deleted, so
nothing half-written is ever kept. With a certificate configured
(PICDESK_FTP_CERT), TLS is required for the login and the data.

An XMP sidecar sent before its photo is read with it; one sent after is
applied to the photo it names, if that arrived from the same account in
the last ``RecentArrivals.WINDOW`` seconds.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
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


class RecentArrivals:
    """The photos each account sent lately, by file name, for the sidecars
    that follow them (over any connection: one server process holds it)."""

    WINDOW = 600  # seconds: a sidecar comes right after its photo, or not at all
    LIMIT = 10_000

    def __init__(self):
        self.lock = threading.Lock()
        self.photos = OrderedDict()  # (account id, lower-case name) -> (photo id, when)

    def remember(self, account: int, name: str, photo: int) -> None:
        with self.lock:
            for key in {name.lower(), Path(name).stem.lower()}:
                self.photos[(account, key)] = (photo, time.monotonic())
                self.photos.move_to_end((account, key))
            while len(self.photos) > self.LIMIT:
                self.photos.popitem(last=False)

    def photo_for(self, account: int, sidecar_name: str) -> int | None:
        """The photo ``a.jpg.xmp`` or ``a.xmp`` is about, if it came lately."""
        key = Path(sidecar_name).stem.lower()  # "a.jpg" or "a"
        with self.lock:
            photo, when = self.photos.get((account, key), (None, 0.0))
        return photo if time.monotonic() - when < self.WINDOW else None


class _Ingesting:
    """What happens to a file once its transfer ends."""

    def on_file_received(self, file):
        from django.db import close_old_connections

        from picdesk.photos.ingest import Arrival, IngestError, ingest_file

        path = Path(file)
        if path.suffix.lower() == SIDECAR_SUFFIX:
            self._sidecar_received(path)
            return
        sidecar = sidecar_of(path)
        account = self.authorizer.accounts.get(self.username)
        try:
            result = ingest_file(path, arrival=Arrival("ftp", user=account))
            logger.info("ftp %s: %s %s", self.username, "imported" if result.created else "reused", path.name)
            self.recent.remember(account.pk, path.name, result.photo.pk)
        except IngestError as exc:
            logger.warning("ftp %s: refused %s: %s", self.username, path.name, exc.reason)
        finally:
            _remove(path)
            if sidecar is not None:
                _remove(sidecar)
            close_old_connections()

    def _sidecar_received(self, path: Path) -> None:
        """Kept for its photo, which comes after it; or applied to the photo
        that came before it."""
        from django.db import close_old_connections

        from picdesk.audit.models import Actor
        from picdesk.photos.metadata import MetadataError, read_sidecar
        from picdesk.photos.models import Photo
        from picdesk.slideshows.metadata_edits import LiveEditRefused, apply_sidecar

        account = self.authorizer.accounts.get(self.username)
        photo = self.recent.photo_for(account.pk, path.name)
        if photo is None:
            return
        try:
            changed = apply_sidecar(Photo.objects.get(pk=photo), read_sidecar(path), by=Actor("ftp", account))
            logger.info("ftp %s: sidecar %s applied (%s)", self.username, path.name, ", ".join(changed) or "no change")
        except (MetadataError, LiveEditRefused, Photo.DoesNotExist) as exc:
            logger.warning("ftp %s: refused sidecar %s: %s", self.username, path.name, exc)
        finally:
            _remove(path)
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
    handler.recent = RecentArrivals()
    if passive := setting("PICDESK_FTP_PASSIVE_PORTS"):
        handler.passive_ports = passive
    handler.banner = "picdesk ready."
    return ThreadedFTPServer((host, port), handler)
