"""Code replacements: loaded by an admin from a Photo Mechanic code file,
expanded at ingest on every channel (FTP included) and in every edit."""

import io
import ftplib

import pytest

from picdesk.audit.models import AuditEntry
from picdesk.photos.codes import CodeFileError, expand, read_code_file
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.models import Photo
from tests.conftest import DESK_PASSWORD
from tests.factories import agency_jpeg, make_photo
from tests.test_cli import picdesk
from tests.test_ftp import photo_captions, wait_until

pytestmark = pytest.mark.django_db

CODE_FILE = "ab1\tAna Beltrán (ESP)\tBeltrán\nrg\tRoland Garros, Paris\n\nnot a line\nbad code!\tx\n"


def _load(client, text: str, encoding: str = "utf-8"):
    upload = io.BytesIO(text.encode(encoding))
    upload.name = "codes.txt"
    return client.post("/desk/codes/", {"file": upload})


def test_a_code_file_is_read_as_photo_mechanic_writes_it():
    code_file = read_code_file(CODE_FILE)
    assert code_file.codes == {"ab1": ["Ana Beltrán (ESP)", "Beltrán"], "rg": ["Roland Garros, Paris"]}
    assert code_file.skipped == ["line 4: no tab between the code and its text",
                                 "line 5: “bad code!” is not a code (letters, digits, . _ + - only)"]
    with pytest.raises(CodeFileError, match="no code in the file"):
        read_code_file("just words\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_admin_loads_codes_and_they_expand(signed_in, encoding):
    admin = signed_in("admin")
    response = _load(admin, CODE_FILE, encoding)
    assert response.status_code == 302
    assert "Left out 2 lines" in admin.get("/desk/codes/").content.decode()
    assert AuditEntry.objects.filter(action="loaded code replacements", detail="2 codes").exists()
    assert expand("=ab1= wins at \\rg\\; =ab1#2= again, =zz9= unknown, a = b.") == (
        "Ana Beltrán (ESP) wins at Roland Garros, Paris; Beltrán again, =zz9= unknown, a = b.")
    assert admin.get("/desk/codes/expansion/", {"text": "=rg="}).json() == {"text": "Roland Garros, Paris"}


def test_only_admins_load_codes(signed_in):
    editor = signed_in("editor")
    assert _load(editor, CODE_FILE).status_code == 403
    assert expand("=ab1=") == "=ab1="


def test_codes_expand_at_ingest_and_in_edits(signed_in):
    _load(signed_in("admin"), CODE_FILE)
    photo = ingest_bytes(agency_jpeg("=ab1= serves at =rg=.", byline="=ab1#2="), "ftp.jpg").photo
    assert (photo.caption, photo.byline) == ("Ana Beltrán (ESP) serves at Roland Garros, Paris.", "Beltrán")
    other = make_photo("Before.")
    editor = signed_in("editor")
    preview = editor.post(f"/desk/photos/bulk/?ids={other.pk}", {"credit": "=rg=", "keywords_mode": "add",
                                                                 "preview": "1"}).content.decode()
    assert "Roland Garros, Paris" in preview
    from picdesk.desk.forms import PhotoMetadataForm
    form = PhotoMetadataForm(instance=other)
    values = {name: str(form[name].value() or "") for name in form.fields}
    editor.post(f"/desk/photos/{other.pk}/", {**values, "caption": "After \\ab1\\."})
    other.refresh_from_db()
    assert other.caption == "After Ana Beltrán (ESP)."


def test_a_caption_with_codes_sent_by_ftp_arrives_expanded(ftp_server, tmp_path):
    home, port = ftp_server()
    codes = tmp_path / "codes.txt"
    codes.write_text(CODE_FILE)
    loaded = picdesk(home, "manage", "shell", "-c",
                     "from picdesk.photos.codes import load_codes, read_code_file; "
                     f"print(load_codes(read_code_file(open({str(codes)!r}).read())))")
    assert loaded.stdout.strip().endswith("2")
    with ftplib.FTP() as ftp:
        ftp.connect("127.0.0.1", port)
        ftp.login("cam", DESK_PASSWORD)
        ftp.storbinary("STOR IMG_0002.JPG", io.BytesIO(agency_jpeg("=ab1= at =rg=.")))
    wait_until(lambda: photo_captions(home) == ["Ana Beltrán (ESP) at Roland Garros, Paris."])
    assert not Photo.objects.exists()  # the FTP server's own home, not this test's database


def test_codes_expand_in_the_builder_without_javascript(signed_in):
    """The desk's script swaps a code as it is typed; what is saved without
    it (or pasted) is expanded by the services all the same."""
    from picdesk.slideshows.publishing import create_slideshow, edit_slideshow

    _load(signed_in("admin"), CODE_FILE)
    slideshow = create_slideshow("Final at =rg=", [make_photo("Her serve.")], summary="=ab1= wins.")
    slide = slideshow.slides.get()
    edit_slideshow(slideshow, details={"summary": "\\ab1\\ wins again."}, captions={slide.pk: "=ab1#2= serves."})
    slideshow.refresh_from_db()
    slide.refresh_from_db()
    assert slideshow.title == "Final at Roland Garros, Paris"
    assert (slideshow.summary, slide.caption) == ("Ana Beltrán (ESP) wins again.", "Beltrán serves.")
