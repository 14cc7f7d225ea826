"""A full disk loses nothing and keeps nothing half-written.

Each test runs picdesk in a mount namespace of its own (``unshare``, which
needs no root) whose home is a small tmpfs: the disk really fills, and
writes fail with the kernel's ENOSPC as on a full volume.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_PHOTOS
from tests.test_cli import picdesk_env

pytestmark = pytest.mark.skipif(
    subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True).returncode,
    reason="unshare cannot make a user and mount namespace here (user namespaces are off)",
)
PICDESK = f"{sys.executable} -m picdesk --home"

# Run by `picdesk manage shell -c`: what the home holds, for the test to judge.
INVENTORY = """
import hashlib, json, pathlib
from django.core.files.storage import default_storage
from picdesk.photos.models import Photo
media = pathlib.Path(default_storage.location)
def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()
print(json.dumps({
    "rows": [[p.original, p.sha256] for p in Photo.objects.all()],
    "originals": {str(f.relative_to(media)): digest(f) for f in media.glob("originals/*/*")},
    "partials": [str(f) for f in media.rglob(".partial-*")],
}))
"""


def in_small_home(tmp_path: Path, size: str, script: str) -> subprocess.CompletedProcess:
    home = tmp_path / "home"
    home.mkdir()
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
         f"mount -t tmpfs -o size={size} tmpfs {home} && {script.format(home=home, out=tmp_path)}"],
        capture_output=True, text=True, timeout=300, env=picdesk_env(),
    )


def last_line_json(path: Path):
    """The document the script printed last (Django's shell says what it imported first)."""
    return json.loads(path.read_text().strip().splitlines()[-1])


def whole_and_content_addressed(inventory: dict) -> None:
    assert inventory["partials"] == []
    for name, sha256 in inventory["originals"].items():
        assert Path(name).stem == sha256, f"{name} does not hold its bytes"
    for original, sha256 in inventory["rows"]:
        assert inventory["originals"].get(original) == sha256, f"{original} is missing or altered"


def test_an_import_onto_a_full_disk_keeps_only_whole_files_and_the_rerun_takes_the_rest(tmp_path):
    (tmp_path / "inventory.py").write_text(INVENTORY)
    script = (
        f"{PICDESK} {{home}} import --slideshow Full {DEMO_PHOTOS} >{{out}}/first.out 2>{{out}}/first.err;"
        " echo $? >{out}/first.status;"
        f" {PICDESK} {{home}} manage shell -c \"$(cat {{out}}/inventory.py)\" >{{out}}/full.json &&"
        " mount -o remount,size=64m {home} &&"
        f" {PICDESK} {{home}} import --slideshow Again {DEMO_PHOTOS} >{{out}}/second.out 2>&1 &&"
        f" {PICDESK} {{home}} check >{{out}}/check.out 2>&1 &&"
        f" {PICDESK} {{home}} manage shell -c \"$(cat {{out}}/inventory.py)\" >{{out}}/grown.json"
    )
    result = in_small_home(tmp_path, "4m", script)
    assert result.returncode == 0, result.stderr + "".join(
        f.read_text() for f in tmp_path.glob("*.out") if f.exists())
    errors = (tmp_path / "first.err").read_text()
    assert (tmp_path / "first.status").read_text().strip() == "1"
    assert "disk full, nothing kept" in errors and "Traceback" not in errors
    full = last_line_json(tmp_path / "full.json")
    assert 0 < len(full["rows"]) < len(list(DEMO_PHOTOS.glob("*.jpg")))
    whole_and_content_addressed(full)
    assert len(full["originals"]) == len(full["rows"]), "an original with no photo was left behind"
    grown = last_line_json(tmp_path / "grown.json")
    assert len(grown["rows"]) == len(list(DEMO_PHOTOS.glob("*.jpg")))
    whole_and_content_addressed(grown)


API_ON_A_FULL_DISK = """
import json, os, pathlib
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from picdesk.api.models import ApiToken
from django.core.files.uploadedfile import SimpleUploadedFile
from picdesk.core.roles import create_user
_, key = ApiToken.issue("robot")
str(settings.SECRET_KEY)  # the home's key is written before the disk fills
client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
desk = Client(HTTP_HOST="localhost")
desk.force_login(create_user("editor", "a long desk password", "editor"))
photo = pathlib.Path(os.environ["PHOTO"]).read_bytes()
filler = pathlib.Path(default_storage.location) / "filler"
filler.parent.mkdir(parents=True, exist_ok=True)
with open(filler, "wb", buffering=0) as out:  # unbuffered: no last write at close
    try:
        while True:
            out.write(b"x" * 65536)
    except OSError:
        pass
full = client.post("/api/v1/photos?name=wire.jpg", data=photo, content_type="image/jpeg")
on_desk = desk.post("/desk/upload/", {"files": [SimpleUploadedFile("wire.jpg", photo)]},
                    HTTP_ACCEPT="application/json")
filler.unlink()
freed = client.post("/api/v1/photos?name=wire.jpg", data=photo, content_type="image/jpeg")
print(json.dumps({"full": [full.status_code, full.json()], "freed": freed.status_code,
                  "desk": [on_desk.status_code, on_desk.content.decode()]}))
"""


def test_the_api_answers_507_and_the_desk_says_disk_full(tmp_path):
    (tmp_path / "api.py").write_text(API_ON_A_FULL_DISK)
    photo = max(DEMO_PHOTOS.glob("*.jpg"), key=lambda p: p.stat().st_size)
    script = (
        f"{PICDESK} {{home}} manage migrate -v0 &&"
        f" PHOTO={photo} FILE_UPLOAD_TEMP_DIR={{home}} {PICDESK} {{home}} manage shell -c \"$(cat {{out}}/api.py)\""
        " >{out}/api.json"
    )
    result = in_small_home(tmp_path, "8m", script)
    assert result.returncode == 0, result.stderr
    answers = last_line_json(tmp_path / "api.json")
    status, body = answers["full"]
    assert status == 507 and "disk full" in json.dumps(body)
    assert answers["freed"] == 201
    status, page = answers["desk"]
    assert "disk full" in page and status in (200, 507), page  # the file's message, or the whole request's
