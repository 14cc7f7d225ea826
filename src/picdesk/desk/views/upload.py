"""Uploading photos in the browser.

Every file goes through ``photos.ingest.ingest_bytes``, exactly as
``picdesk import`` does: same checks, same metadata mapping, same duplicate
handling (the same bytes give the existing photo back). The form works as a
plain multipart POST; ``desk/upload.js`` sends one file per request instead,
to show progress per file and go on past a rejected one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from picdesk.core.config import setting
from picdesk.photos.ingest import Arrival, IngestError, ingest_bytes, ingest_file
from picdesk.core.ratelimit import rate_limited
from picdesk.core.roles import role_required


MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the files


@dataclass
class Outcome:
    name: str
    status: str  # "added", "duplicate" or "rejected"
    message: str
    url: str = ""


def ingest_upload(request, upload) -> Outcome:
    arrival = Arrival("desk", user=request.user)
    try:
        if hasattr(upload, "temporary_file_path"):  # Django spooled a large one to disk
            result = ingest_file(Path(upload.temporary_file_path()), upload.name, arrival=arrival)
        else:
            result = ingest_bytes(upload.read(), upload.name, arrival=arrival)
    except IngestError as exc:
        return Outcome(exc.name, "rejected", exc.reason)
    photo = result.photo
    url = reverse("desk:photo", args=[photo.pk])
    if not result.created:
        return Outcome(upload.name, "duplicate", f"already on the desk as “{photo}”", url)
    return Outcome(photo.original_name, "added", str(photo), url)


class OneFileCap(FileUploadHandler):
    """Stops reading a multipart body's files once one of them passes
    PICDESK_MAX_UPLOAD_BYTES: the rest of it is never spooled to disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = setting("PICDESK_MAX_UPLOAD_BYTES")
        self.received = 0
        self.refused = ""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = self.file_name
            raise StopUpload(connection_reset=False)
        return raw_data  # on to Django's own handlers, which keep it

    def file_complete(self, file_size):
        return None


def _refused_body(request) -> tuple[int, str] | None:
    """The status and reason a body is refused with before any of it is
    read; None to read it."""
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return 411, "send files with a Content-Length: chunked uploads are not read"
    files, each = setting("PICDESK_UPLOAD_MAX_FILES"), setting("PICDESK_MAX_UPLOAD_BYTES")
    if int(request.headers.get("Content-Length") or 0) > files * each + MULTIPART_OVERHEAD:
        return 413, (f"too large: at most {files} files of {filesizeformat(each)} each "
                     "(PICDESK_UPLOAD_MAX_FILES, PICDESK_MAX_UPLOAD_BYTES)")
    return None


# CSRF is checked by the inner view: the middleware would read the body (and
# spool its files) before the cap on their size is in place.
@csrf_exempt
@role_required("contributor")
@rate_limited("upload", "PICDESK_UPLOAD_RATE")
def upload(request):
    if request.method == "POST":
        if refusal := _refused_body(request):
            status, reason = refusal
            return _answer(request, [], reason, status)
        cap = OneFileCap(request)
        request.upload_handlers.insert(0, cap)
        return _checked_upload(request, cap)
    return _answer(request, [], "", 200)


@csrf_protect
def _checked_upload(request, cap: OneFileCap):
    files = request.FILES.getlist("files")
    if cap.refused:
        limit = filesizeformat(setting("PICDESK_MAX_UPLOAD_BYTES"))
        reason = f"too large, the limit is {limit} (PICDESK_MAX_UPLOAD_BYTES); nothing of this upload was kept"
        return _answer(request, [Outcome(cap.refused, "rejected", reason)], f"{cap.refused}: {reason}", 413)
    return _ingest_all(request, files)


def _ingest_all(request, files):
    outcomes, error = [], ""
    if len(files) > setting("PICDESK_UPLOAD_MAX_FILES"):
        error = f"Too many files in one upload: {len(files)}; send at most {setting('PICDESK_UPLOAD_MAX_FILES')}."
    elif not files:
        error = "Choose one or more photos to upload."
    else:
        outcomes = [ingest_upload(request, upload) for upload in files]
    return _answer(request, outcomes, error, 400 if error else 200)


def _answer(request, outcomes: list[Outcome], error: str, status: int):
    """JSON for upload.js, the page for a plain form."""
    if request.method == "POST" and "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": error, "files": [asdict(o) for o in outcomes]}, status=status)
    context = {
        "outcomes": outcomes,
        "error": error,
        "max_bytes": setting("PICDESK_MAX_UPLOAD_BYTES"),
        "max_files": setting("PICDESK_UPLOAD_MAX_FILES"),
    }
    return render(request, "desk/upload.html", context, status=status)
