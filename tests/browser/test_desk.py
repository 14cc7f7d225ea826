"""The desk in Chromium, end to end: sign in, upload, build, reorder, edit a
caption, schedule a minute ahead (readers get 404 until then), correct, kill.
And the 20-photo path a new editor takes, timed."""

import datetime as dt
import os
import time

import pytest
from django.utils import timezone

from picdesk.core.roles import create_user
from picdesk.slideshows.models import Slideshow
from tests.factories import agency_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import DESK_PASSWORD as PASSWORD  # noqa: E402


def sign_in(page, base, name="edith"):
    page.goto(base + "/desk/")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/desk/")


def upload(page, base, files):
    page.goto(base + "/desk/upload/")
    page.set_input_files("#files", [str(f) for f in files])
    page.wait_for_selector("#overall-text:has-text('Done:')", timeout=120_000)
    return page.inner_text("#overall-text")


def photo_files(folder, count, **kwargs):
    folder.mkdir(exist_ok=True)
    files = []
    for n in range(1, count + 1):
        path = folder / f"{n:02d}.jpg"
        path.write_bytes(agency_jpeg(f"Caption of photo {n}.", headline=f"Photo {n}", width=800, height=600, **kwargs))
        files.append(path)
    return files


def new_slideshow_of_everything(page, base, title):
    """On the contact sheet, select every photo and make a slideshow of them."""
    page.goto(base + "/desk/")
    for box in page.locator(".sheet input[name=photo]").all():
        box.check()
    page.get_by_label("New slideshow titled").fill(title)
    page.get_by_role("button", name="New slideshow from selection").click()
    page.wait_for_url("**/desk/slideshows/*/")


def captions_on(page, url):
    """The captions a reader sees on ``url`` (first sentences), or its status."""
    response = page.goto(url)
    if response.status != 200:
        return response.status
    return [" ".join(text.split()).split(".")[0] for text in page.locator(".slides figcaption").all_inner_texts()]


def slide_headlines(page):
    return page.eval_on_selector_all("#slides li[data-slide] img", "imgs => imgs.map(i => i.alt)")


def test_upload_build_schedule_correct_kill(live_server, browser, tmp_path):
    create_user("edith", PASSWORD, "editor")
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, base)
    assert upload(page, base, photo_files(tmp_path / "in", 3)).startswith("Done: 3 added")

    # Build: select the three on the contact sheet, a new slideshow from them.
    new_slideshow_of_everything(page, base, "Harbour at dawn")
    assert slide_headlines(page) == ["Photo 1", "Photo 2", "Photo 3"]

    # Reorder: drag photo 3 to the top, then photo 3 (now first) down a place by keyboard.
    page.locator("#slides li[data-slide] .handle").nth(2).drag_to(page.locator("#slides li[data-slide]").nth(0))
    assert slide_headlines(page) == ["Photo 3", "Photo 1", "Photo 2"]
    down = page.get_by_role("button", name="Move photo 1 down")
    down.focus()
    page.keyboard.press("Enter")
    assert slide_headlines(page) == ["Photo 1", "Photo 3", "Photo 2"]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move photo 2 down"
    assert "position 2 of 3" in page.inner_text("#order-status")
    # A caption for this slideshow only.
    page.get_by_label("Caption of photo 2").fill("LISBON - Boats leave the harbour on Nov. 26, 2026.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector(".messages")
    assert slide_headlines(page) == ["Photo 1", "Photo 3", "Photo 2"]

    # Schedule a minute ahead; the caption checker asks first.
    at = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=1)
    page.get_by_label("Publish at (UTC)").fill(at.strftime("%Y-%m-%d %H:%M:%S"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    assert "gives no date" in page.inner_text(".warnings")
    page.get_by_role("button", name="Schedule anyway").click()
    page.wait_for_selector(".state.scheduled")
    show = Slideshow.objects.get(title="Harbour at dawn")
    assert show.published_at == at

    reader = browser.new_context().new_page()
    url = base + show.get_absolute_url()
    assert captions_on(reader, url) == 404
    reader.goto(base + "/")
    assert "Harbour at dawn" not in reader.content()
    while timezone.now() < at:
        if (seen := captions_on(reader, url)) != 404:  # only an answer made after the embargo may show it
            assert timezone.now() >= at, seen
        time.sleep(min(5, max(0.1, (at - timezone.now()).total_seconds())))
    assert captions_on(reader, url) == [
        "1 of 3 Caption of photo 1", "2 of 3 LISBON - Boats leave the harbour on Nov", "3 of 3 Caption of photo 2"]

    # Correct it.
    page.reload()
    page.get_by_label("Correction note").fill("An earlier version misplaced the harbour.")
    page.get_by_role("button", name="Add correction").click()
    reader.goto(url)
    assert "misplaced the harbour" in reader.inner_text(".correction")

    # Kill photo 3 (now the second): gone from the page.
    page.goto(base + "/desk/")
    page.get_by_role("link", name="Photo 3").click()
    page.get_by_label("Reason for the kill").fill("Agency kill: wrong date.")
    page.get_by_role("button", name="Kill photo").click()
    page.wait_for_url(base + "/desk/")
    reader.goto(url)
    text = reader.inner_text("main")
    assert "LISBON - Boats leave" not in text and "1 of 2" in text and "2 of 2" in text
    desk.close()


def test_twenty_photos_to_a_published_slideshow(live_server, browser, tmp_path):
    """What a new editor does, without reading code; the time goes in the note."""
    create_user("edith", PASSWORD, "editor")
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    files = photo_files(tmp_path / "twenty", 20)
    started = time.perf_counter()
    sign_in(page, base)
    assert upload(page, base, files).startswith("Done: 20 added")
    page.get_by_role("link", name="To the contact sheet").click()
    page.get_by_role("button", name="Select all on this page").click()
    page.get_by_label("New slideshow titled").fill("Twenty")
    page.get_by_role("button", name="New slideshow from selection").click()
    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("button", name="Publish anyway").click()
    page.wait_for_selector(".state.published")
    elapsed = time.perf_counter() - started
    print(f"\n20 photos from sign-in to published slideshow: {elapsed:.1f} s")
    show = Slideshow.objects.get(title="Twenty")
    assert show.slides.count() == 20
    response = context.new_page().goto(base + show.get_absolute_url())
    assert response.status == 200
    context.close()


def test_a_file_over_50_mb_uploads_with_progress(live_server, browser, tmp_path):
    import pyvips

    create_user("edith", PASSWORD, "editor")
    noise = pyvips.Image.gaussnoise(5200, 3200, sigma=60, mean=128).cast("uchar")
    image = noise.bandjoin([noise.rot180(), noise.fliphor()]).copy(interpretation="srgb")
    big = tmp_path / "big.jpg"
    big.write_bytes(image.jpegsave_buffer(Q=100, subsample_mode="off"))
    assert big.stat().st_size > 50 * 2**20
    page = browser.new_context().new_page()
    sign_in(page, live_server.url)
    assert upload(page, live_server.url, [big]).startswith("Done: 1 added")
    assert page.eval_on_selector("#file-list progress", "bar => bar.value") == 100
    assert page.eval_on_selector("#overall", "bar => bar.value") == 100


PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>"onerror=alert(3) javascript:alert(4)'


def test_metadata_payloads_stay_inert_on_every_desk_page(live_server, browser):
    from tests.factories import make_photo, make_slideshow

    create_user("edith", PASSWORD, "editor")
    photo = make_photo(PAYLOAD, headline=PAYLOAD, byline=PAYLOAD, credit=PAYLOAD, alt_text=PAYLOAD)
    show = make_slideshow(PAYLOAD, photos=[photo], publish=False, summary=PAYLOAD)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server.url)
    for url in ["/desk/", f"/desk/photos/{photo.pk}/", f"/desk/slideshows/{show.pk}/",
                f"/desk/slideshows/{show.pk}/preview/", "/desk/slideshows/", f"/desk/photos/bulk/?ids={photo.pk}"]:
        page.goto(live_server.url + url)
        assert page.locator("img[src=x], script:not([src]):not([type='application/ld+json'])").count() == 0, url
    page.goto(live_server.url + f"/desk/photos/bulk/?ids={photo.pk}")
    page.get_by_label("Find in captions").fill("alert")
    page.get_by_role("button", name="Preview changes").click()
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []


DROP = """([good, name]) => {
    const bytes = Uint8Array.from(atob(good), c => c.charCodeAt(0));
    const files = new DataTransfer();
    files.items.add(new File([bytes], name, {type: "image/jpeg"}));
    files.items.add(new File(["just text"], "notes.jpg", {type: "image/jpeg"}));
    const zone = document.getElementById("drop");
    zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: files, bubbles: true, cancelable: true}));
    zone.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true}));
}"""


def test_drag_and_drop_upload_names_the_rejected_file(live_server, browser):
    import base64

    create_user("edith", PASSWORD, "contributor")
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "edith")
    page.goto(live_server.url + "/desk/upload/")
    good = base64.b64encode(agency_jpeg("Dropped in.")).decode()
    page.evaluate(DROP, [good, "dropped.jpg"])
    page.wait_for_selector("#overall-text:has-text('Done:')")
    assert page.inner_text("#overall-text").startswith("Done: 1 added, 1 rejected")
    rows = page.locator("#file-list li").all_inner_texts()
    assert any("dropped.jpg" in row and "added" in row for row in rows)
    assert any("notes.jpg" in row and "not an image picdesk can read" in row for row in rows)


def test_an_upload_the_server_never_answers_ends_with_a_message(live_server, browser, tmp_path):
    """A hung server (as the forked demo was) must not leave the page at
    "0 of N files done" for ever: each stalled file gives up with a message."""
    create_user("edith", PASSWORD, "contributor")
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "edith")
    page.clock.install()  # the page's timers, run forward below instead of waited for
    hung = []
    page.route("**/desk/upload/", lambda route: hung.append(route) if route.request.method == "POST"
               else route.continue_())
    page.goto(live_server.url + "/desk/upload/")
    page.set_input_files("#files", [str(f) for f in photo_files(tmp_path / "in", 2)])
    page.wait_for_function("document.querySelectorAll('#file-list li').length === 2")
    assert "0 of 2 files done" in page.inner_text("#overall-text") or page.inner_text("#overall-text") == ""
    page.clock.run_for(125_000)
    page.wait_for_selector("#overall-text:has-text('Done:')")
    assert page.inner_text("#overall-text").startswith("Done: 2 unanswered")
    assert len(hung) == 2
    rows = page.locator("#file-list li").all_inner_texts()
    assert all("look on the contact sheet before sending it again" in row for row in rows)
    page.context.close()


def test_publish_now_keeps_what_is_on_screen(live_server, browser, tmp_path):
    """Move a photo, edit a caption, press Publish now without saving first:
    readers get that order and that caption."""
    create_user("edith", PASSWORD, "editor")
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, base)
    upload(page, base, photo_files(tmp_path / "in", 3, credit="AGENCY", byline="Ana Ruiz"))
    new_slideshow_of_everything(page, base, "Unsaved edits")

    page.locator("#slides li[data-slide] .handle").nth(2).drag_to(page.locator("#slides li[data-slide]").nth(0))
    page.get_by_label("Caption of photo 2").fill("LISBON, Portugal - Boats at dawn on Nov. 26, 2026.")
    page.get_by_role("button", name="Publish now").click()
    if page.get_by_role("button", name="Publish anyway").count():
        page.get_by_role("button", name="Publish anyway").click()
    page.wait_for_selector(".state.published")
    show = Slideshow.objects.get(title="Unsaved edits")
    reader = browser.new_context().new_page()
    assert captions_on(reader, base + show.get_absolute_url()) == [
        "1 of 3 Caption of photo 3", "2 of 3 LISBON, Portugal - Boats at dawn on Nov", "3 of 3 Caption of photo 2"]
    desk.close()
