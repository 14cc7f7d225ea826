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

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from picdesk.core.config import setting
from picdesk.photos.ingest import Arrival, IngestError, ingest_bytes, ingest_file
from picdesk.core.ratelimit import rate_limited
from picdesk.core.roles import role_required


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


@role_required("contributor")
@rate_limited("upload", "PICDESK_UPLOAD_RATE")
def upload(request):
    outcomes, error = [], ""
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if len(files) > setting("PICDESK_UPLOAD_MAX_FILES"):
            error = f"Too many files in one upload: {len(files)}; send at most {setting('PICDESK_UPLOAD_MAX_FILES')}."
        elif not files:
            error = "Choose one or more photos to upload."
        else:
            outcomes = [ingest_upload(request, upload) for upload in files]
        if "application/json" in request.headers.get("Accept", ""):
            status = 400 if error else 200
            return JsonResponse({"error": error, "files": [asdict(o) for o in outcomes]}, status=status)
    context = {
        "outcomes": outcomes,
        "error": error,
        "max_bytes": setting("PICDESK_MAX_UPLOAD_BYTES"),
        "max_files": setting("PICDESK_UPLOAD_MAX_FILES"),
    }
    return render(request, "desk/upload.html", context, status=400 if error else 200)
