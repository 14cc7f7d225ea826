"""Debian's Varnish, with the VCL shipped in deploy/varnish/, in front of a
real `picdesk serve` on 127.0.0.1: pages and images come from Varnish's cache,
a correction shows through it within a second, a killed photo's pages and
images are gone from it at once."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.waiting import wait_for_port
from tests.factories import agency_jpeg
from tests.test_cli import free_port, picdesk, picdesk_env
from tests.test_object_storage import anonymous_get as get

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "varnish"


# A purge is sent before the change's request returns: "at once" is the time a
# loaded machine takes to answer the next request, bounded generously.
AT_ONCE = 5


def from_cache(headers: dict) -> bool:
    """Varnish's X-Varnish names two transactions on a hit, one on a miss."""
    return len(headers.get("X-Varnish", "").split()) == 2


@pytest.fixture
def varnishd():
    if shutil.which("varnishd") is None:
        message = "Debian's varnish is not installed (apt-get install varnish varnish-modules)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return shutil.which("varnishd")


@pytest.fixture
def site(tmp_path, varnishd, monkeypatch):
    """A published slideshow of two photos, served by `picdesk serve` behind
    Varnish; yields (Varnish's base URL, home)."""
    home = tmp_path / "home"
    for name in ("kept", "killed"):
        (tmp_path / f"{name}.jpg").write_bytes(agency_jpeg(f"The {name} photo.", usage_terms="CC BY 4.0", width=800, height=600))
    imported = picdesk(home, "import", str(tmp_path / "kept.jpg"), str(tmp_path / "killed.jpg"),
                       "--slideshow", "Through Varnish", "--publish")
    assert imported.returncode == 0, imported.stderr
    # Every rendition made before serving: a worker finishing WebP or AVIF
    # later rightly purges the pages that list them, which would race the
    # cache-hit checks below.
    rendered = picdesk(home, "worker", "--until-empty")
    assert rendered.returncode == 0, rendered.stderr

    backend_port, varnish_port = free_port(), free_port()
    # Varnish's worker process runs as its own user: its folder must be readable
    # to it, which pytest's private temporary folders are not.
    folder = Path(tempfile.mkdtemp(prefix="picdesk-varnish-"))
    folder.chmod(0o755)
    shutil.copy(DEPLOY / "picdesk.vcl", folder / "picdesk.vcl")
    site_vcl = (DEPLOY / "picdesk-site.vcl").read_text().replace('"8000"', f'"{backend_port}"')
    (folder / "picdesk-site.vcl").write_text(site_vcl)
    # What picdesk's commands do (the server, and the desk's edits below) purges this Varnish.
    monkeypatch.setenv("PICDESK_PURGER", "varnish")
    monkeypatch.setenv("PICDESK_PURGE_URLS", f"http://127.0.0.1:{varnish_port}/")
    # Varnish first: `picdesk serve` checks at start that the purger it is given answers.
    cache = subprocess.Popen(
        [varnishd, "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{varnish_port}", "-f",
         str(folder / "picdesk.vcl"), "-s", "malloc,64m", "-p", "default_grace=0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for_port(varnish_port)
    server = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(backend_port)],
        env=picdesk_env(PICDESK_WORKERS="0"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        wait_for_port(backend_port)
        yield f"http://127.0.0.1:{varnish_port}", home
    finally:
        _stop(cache, server, folder)


def _stop(cache, server, folder) -> None:
    for process in (cache, server):
        process.terminate()
    for process in (cache, server):
        process.wait(timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


def shell(home, code: str) -> None:
    result = picdesk(home, "manage", "shell", "-c", code)
    assert result.returncode == 0, result.stderr


def test_a_correction_shows_through_varnish_within_a_second(site):
    varnish, home = site
    page = f"{varnish}/pictures/through-varnish/"
    get(page)
    status, headers, body = get(page)
    assert status == 200 and from_cache(headers) and b"right spelling" not in body
    assert "xkey" not in headers and "Surrogate-Key" not in headers
    shell(home, """
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import correct
show = Slideshow.objects.get()
show.summary = "With the right spelling."
show.save()
correct(show, "An earlier version misspelled the town.")
""")
    corrected = time.monotonic()
    while b"misspelled the town" not in get(page)[2]:  # the last of the two changes
        assert time.monotonic() - corrected < AT_ONCE, "the correction took seconds to show"
        time.sleep(0.02)
    status, headers, body = get(page)
    assert b"right spelling" in body and from_cache(headers)  # cached again, corrected


def test_a_killed_photo_is_gone_from_varnish_at_once(site):
    varnish, home = site
    show_page, photo_page = f"{varnish}/pictures/through-varnish/", f"{varnish}/pictures/through-varnish/2/"
    key = picdesk(home, "manage", "shell", "-c", "from picdesk.photos.models import Photo; "
                  "print(Photo.objects.get(caption='The killed photo.').public_key)").stdout.split()[-1]
    image = f"{varnish}/media/r/{key}/320.jpg"
    for url in (show_page, photo_page, image):
        get(url)
        status, headers, _ = get(url)
        assert status == 200 and from_cache(headers), url
    shell(home, """
from picdesk.photos.models import Photo
from picdesk.slideshows.kills import kill_photo
kill_photo(Photo.objects.get(caption="The killed photo."), "Wrong town named.")
""")
    assert b"The killed photo" not in get(show_page)[2]
    assert get(photo_page)[0] == 410
    assert get(image)[0] == 404


def _photo_documents(varnish: str, key: str) -> list[str]:
    """Everything public about one photo: its page, API document, Content
    Credentials, original and a rendition."""
    return [f"{varnish}/pictures/through-varnish/1/", f"{varnish}/api/v1/photos/{key}",
            f"{varnish}/api/v1/photos/{key}/credentials", f"{varnish}/api/v1/photos/{key}/original",
            f"{varnish}/media/r/{key}/320.jpg"]


def _gone_within_a_second(urls: list[str]) -> None:
    changed = time.monotonic()
    while still := [url for url in urls if get(url)[0] == 200]:
        assert time.monotonic() - changed < AT_ONCE, f"still 200 through Varnish after seconds: {still}"
        time.sleep(0.02)


CHANGES = {
    "unpublished": "from picdesk.slideshows.publishing import unpublish; unpublish(show)",
    "slide removed": "from picdesk.slideshows.publishing import arrange_slides; "
                     "arrange_slides(show, [], remove={show.slides.get(position=1).pk})",
    "rescheduled": "import datetime as dt; from django.utils import timezone; "
                   "from picdesk.slideshows.publishing import publish; "
                   "publish(show, timezone.now() + dt.timedelta(days=1))",
    "killed": "from picdesk.slideshows.kills import kill_photo; "
              "kill_photo(show.slides.get(position=1).photo, 'Wrong town.')",
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_photo_that_leaves_the_live_set_leaves_varnish_at_once(site, change):
    varnish, home = site
    key = picdesk(home, "manage", "shell", "-c", "from picdesk.photos.models import Photo; "
                  "print(Photo.objects.get(caption='The kept photo.').public_key)").stdout.split()[-1]
    urls = _photo_documents(varnish, key)
    for url in urls:
        get(url)
        status, headers, _ = get(url)
        assert status == 200 and from_cache(headers), url
    shell(home, "from picdesk.slideshows.models import Slideshow; show = Slideshow.objects.get(); "
          + CHANGES[change])
    _gone_within_a_second(urls)


def test_a_404_is_purged_when_its_page_goes_live_again(site):
    varnish, home = site
    page = f"{varnish}/pictures/through-varnish/"
    shell(home, "from picdesk.slideshows.models import Slideshow; "
                "from picdesk.slideshows.publishing import unpublish; unpublish(Slideshow.objects.get())")
    _gone_within_a_second([page])
    status, headers, _ = get(page)
    assert status == 404 and from_cache(headers)  # cached, but purgeable
    shell(home, "from picdesk.slideshows.models import Slideshow; "
                "from picdesk.slideshows.publishing import publish; publish(Slideshow.objects.get())")
    republished = time.monotonic()
    while get(page)[0] != 200:
        assert time.monotonic() - republished < AT_ONCE, "the old 404 outlived the republication"
        time.sleep(0.02)


@pytest.fixture
def next_rail_off(monkeypatch):
    """No Next Slideshows rail: the page then shows nothing a publication changes but its included rail."""
    monkeypatch.setenv("PICDESK_NEXT_SLIDESHOWS", "0")


def test_varnish_assembles_the_rail_and_a_publication_leaves_the_page_cached(next_rail_off, site):
    varnish, home = site
    page = f"{varnish}/pictures/through-varnish/"
    get(page)
    status, headers, body = get(page)
    assert status == 200 and from_cache(headers) and b"<esi:include" not in body
    assert b'id="more-in-pictures"' not in body  # nothing else is live yet
    assert "ETag" not in headers  # it would describe the page without its rail
    shell(home, """
from picdesk.photos.ingest import ingest_bytes
from picdesk.slideshows.publishing import create_slideshow
import pyvips
news = ingest_bytes(pyvips.Image.black(64, 48).jpegsave_buffer(), "news.jpg").photo
create_slideshow("Breaking news", [news], publish=True)
""")
    published = time.monotonic()
    while b"Breaking news" not in (body := (answer := get(page))[2]):
        assert time.monotonic() - published < AT_ONCE, "the new slideshow took seconds to show"
        time.sleep(0.02)
    # The first answer with the news came from the cache: only the rail was fetched again.
    assert b"Breaking news" in body.split(b'id="more-in-pictures"', 1)[1] and from_cache(answer[1])


def _cluster_site(tmp_path, caption: str) -> Path:
    """A home with one published slideshow, /pictures/cluster/."""
    home = tmp_path / "home"
    (tmp_path / "p.jpg").write_bytes(agency_jpeg(caption))
    assert picdesk(home, "import", str(tmp_path / "p.jpg"), "--slideshow", "Cluster", "--publish").returncode == 0
    return home


def _cluster_vcl(web1: int, web2: int) -> Path:
    """A folder with deploy/'s VCL and its cluster site file, for web servers on these ports."""
    folder = Path(tempfile.mkdtemp(prefix="picdesk-varnish-"))
    folder.chmod(0o755)
    shutil.copy(DEPLOY / "picdesk.vcl", folder / "picdesk.vcl")
    cluster = (DEPLOY / "picdesk-site-cluster.vcl").read_text()
    (folder / "picdesk-site.vcl").write_text(cluster.replace('"8001"', f'"{web1}"').replace('"8002"', f'"{web2}"'))
    return folder


def _start_varnish(varnishd: str, folder: Path, port: int) -> subprocess.Popen:
    """Debian's varnishd on ``port`` with the VCL in ``folder``, in the foreground."""
    return subprocess.Popen(
        [varnishd, "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}", "-f",
         str(folder / "picdesk.vcl"), "-s", "malloc,64m"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_several_web_servers_behind_the_cluster_vcl_and_one_down(tmp_path, varnishd):
    """deploy/varnish/picdesk-site-cluster.vcl: two web servers probed on
    /readyz; with one of them not there, every request is answered by the other."""
    from tests.waiting import wait_for

    home = _cluster_site(tmp_path, "Behind two web servers.")
    web1, nothing, varnish_port = free_port(), free_port(), free_port()
    folder = _cluster_vcl(web1, nothing)
    compiled = subprocess.run([varnishd, "-C", "-f", str(folder / "picdesk.vcl"), "-n", str(folder / "c")],
                              capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr[-2000:]
    server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(web1)],
                              env=picdesk_env(PICDESK_WORKERS="0"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    cache = _start_varnish(varnishd, folder, varnish_port)
    try:
        wait_for_port(web1)
        wait_for_port(varnish_port)
        page = f"http://127.0.0.1:{varnish_port}/pictures/cluster/"
        wait_for(lambda: get(page)[0] == 200, "the ready web server never got a request through Varnish")
        assert [get(page + f"?n={n}")[0] for n in range(10)] == [200] * 10
    finally:
        _stop(cache, server, folder)


def test_a_web_server_that_stops_costs_readers_no_error(tmp_path, varnishd):
    """Two web servers behind the cluster VCL, both ready; one stops. Until the
    probe sees it (up to 15 s), Varnish still picks it for every other fetch:
    those are retried on the other server, never a 503 to the reader."""
    from tests.waiting import wait_for

    home = _cluster_site(tmp_path, "Behind two web servers, one of them stopping.")
    web1, web2, varnish_port = free_port(), free_port(), free_port()
    folder = _cluster_vcl(web1, web2)
    servers = []
    for port in (web1, web2):  # one after the other: each prepares the home it shares
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
            env=picdesk_env(PICDESK_WORKERS="0"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True))
        wait_for_port(port)
    cache = _start_varnish(varnishd, folder, varnish_port)
    admin = [shutil.which("varnishadm") or "varnishadm", "-n", str(folder / "work"), "backend.list"]

    def healthy() -> int:
        listed = subprocess.run(admin, capture_output=True, text=True).stdout
        return sum(1 for line in listed.splitlines() if "web" in line and " healthy" in line.lower())

    try:
        wait_for_port(varnish_port)
        wait_for(lambda: healthy() == 2, "Varnish never found both web servers ready")
        os.killpg(servers[0].pid, signal.SIGKILL)  # gone at once, as a crash or a machine lost
        servers[0].wait()
        page = f"http://127.0.0.1:{varnish_port}/pictures/cluster/"
        answers = [get(page + f"?n={n}")[0] for n in range(12)]  # each a miss: a fetch from a web server
        assert healthy() == 2, "the probe saw the stopped server already: nothing was tested"
        assert answers == [200] * 12
    finally:
        _stop(cache, servers[1], folder)
