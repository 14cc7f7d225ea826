"""Local file storage that never leaves a half-written file.

Django's FileSystemStorage writes into the final name as bytes arrive: a
full disk or a crash leaves a truncated file under a name that says it is
whole (for an original, its content address). Here every file is written to
a temporary name beside it, flushed and fsynced, then renamed into place (a
rename is atomic on one filesystem) and the folder fsynced, so a name holds
either nothing or every byte. On any error the temporary file is removed and
the error goes to the caller (``is_disk_full`` tells the full-disk kind).

The temporary name says which process writes it: a writer killed mid-write
leaves its temporary file, which ``remove_abandoned_partials`` deletes once
that process is gone (or the file is STALE_PARTIAL old), and ``picdesk
check`` does not take a write in progress for an orphan (``being_written``).

Object storage needs no such care: an S3 object appears only once its upload
completes, and boto3 aborts a multipart upload that fails.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import tempfile
from contextlib import suppress
from datetime import timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import FileSystemStorage, Storage
from django.http import HttpResponse
from django.utils import timezone

from picdesk.core.processes import is_dead, this_process

logger = logging.getLogger(__name__)

# What a storage that is down or refuses raises: a local disk's OSError, or
# the S3 client's own errors (no connection, a bucket gone, access denied).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

PARTIAL_PREFIX = ".partial-"  # a temporary file's name
STALE_PARTIAL = timedelta(minutes=10)


class AtomicFileSystemStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        """The name asked for, always: every name picdesk gives is a content
        address or a rendition's key and size, so a file already there holds
        what is being written (Django's default would save a second copy
        under a made-up name the database never learns)."""
        return name

    def _save(self, name, content):
        full_path = self.path(name)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        write_whole(full_path, content.chunks(), self.file_permissions_mode)
        return str(name).replace("\\", "/")


def write_whole(path, chunks, mode: int | None = None) -> None:
    """Write ``chunks`` to ``path`` whole or not at all: to a temporary name
    beside it (made 0600), flushed and fsynced, given ``mode`` if any, renamed
    into place, and the rename made durable; the temporary file removed on
    any error."""
    folder = os.path.dirname(path)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f"{PARTIAL_PREFIX}{this_process()}-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def partial_writer(name: str) -> str | None:
    """The process writing ``name`` (a storage name or path) when it is a
    temporary file of ``write_whole``; None for any other file."""
    base = os.path.basename(name)
    if not base.startswith(PARTIAL_PREFIX):
        return None
    return base[len(PARTIAL_PREFIX):].rpartition("-")[0]  # mkstemp's random tail has no "-"


def being_written(storage: Storage, name: str) -> bool:
    """Whether ``name`` is a temporary file whose write may still be going on:
    younger than STALE_PARTIAL, and its writer alive (or on another machine
    sharing the folder, which cannot be asked). No write of picdesk's takes
    that long, and a process id can be reused: an older one is abandoned."""
    writer = partial_writer(name)
    if writer is None:
        return False
    young = timezone.now() - storage.get_modified_time(name) < STALE_PARTIAL
    return young and not is_dead(writer)  # is_dead says False for a writer on another machine


def remove_abandoned_partials(storage: Storage, folder: str) -> int:
    """Delete the temporary files in ``folder`` no write is still making;
    returns how many. Only local storage has them."""
    if not isinstance(storage, FileSystemStorage) or not storage.exists(folder):
        return 0
    names = [f"{folder}/{name}" for name in storage.listdir(folder)[1] if partial_writer(name) is not None]
    abandoned = [name for name in names if not being_written(storage, name)]
    for name in abandoned:
        with suppress(FileNotFoundError):  # another worker tidied it first
            storage.delete(name)
    return len(abandoned)


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable (it lives in the folder's entries)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def is_disk_full(error: BaseException) -> bool:
    """A full disk or an exhausted quota, from a file write or from SQLite."""
    from django.db import OperationalError

    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(error, (OperationalError, sqlite3.OperationalError)):
        return "database or disk is full" in str(error)
    return False


class DiskFullMiddleware:
    """A full disk anywhere in a request (a file, the database) is answered
    507 with what happened, never a bare 500; the change it was part of was
    rolled back (nothing half-written, see above). The API's answer is JSON
    (api.errors rewrites it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_disk_full(exception):
            return None
        logger.error("disk full answering %s %s", request.method, request.path, exc_info=exception)
        return HttpResponse("disk full: nothing was changed; try again once an operator has freed space",
                            status=507, content_type="text/plain; charset=utf-8")
