"""An SFTP server of the tests' own, with paramiko: one account, one folder
on disk, a fresh host key; what a partner's SFTP push lands on."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import threading
from pathlib import Path

import paramiko


class SftpServer:
    def __init__(self, root: Path, user: str, password: str):
        self.root, self.user, self.password = root, user, password
        self.key = paramiko.ECDSAKey.generate()
        self.fingerprint = "SHA256:" + base64.b64encode(hashlib.sha256(self.key.asbytes()).digest()).decode().rstrip("=")
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # closed
            # Each client on a thread of its own: one that hangs up mid-handshake
            # (a wrong host key) must not keep the next one waiting.
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        transport = paramiko.Transport(connection)
        transport.add_server_key(self.key)
        transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Folder, self.root)
        try:
            transport.start_server(server=_Account(self.user, self.password))
        except (paramiko.SSHException, EOFError, OSError):
            transport.close()  # the client left

    def close(self) -> None:
        self.listener.close()


class _Account(paramiko.ServerInterface):
    def __init__(self, user: str, password: str):
        self.user, self.password = user, password

    def check_auth_password(self, username, password):
        ok = (username, password) == (self.user, self.password)
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username):
        return "password"

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.writefile.fileno()))


class _Folder(paramiko.SFTPServerInterface):
    """Writes only, inside the folder (what a push needs)."""

    def __init__(self, server, root: Path, *args, **kwargs):
        super().__init__(server, *args, **kwargs)
        self.root = root.resolve()

    def _path(self, path: str) -> Path:
        found = (self.root / path.lstrip("/")).resolve()
        if self.root not in (found, *found.parents):
            raise PermissionError(path)
        return found

    def open(self, path, flags, attr):
        try:
            handle = _Handle(flags)
            handle.writefile = handle.readfile = open(self._path(path), "wb")
            return handle
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno or 13)

    def stat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._path(path)))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno or 13)

    lstat = stat
