"""In Chromium: a photo sent over FTP appears on an open contact sheet within
seconds, without a reload, with the count by channel."""

import ftplib
import io
import os
import threading

import pytest

from picdesk.ops.ftp import make_server
from picdesk.core.roles import create_user
from tests.browser.test_desk import sign_in
from tests.conftest import DESK_PASSWORD
from tests.factories import agency_jpeg
from tests.test_cli import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_an_ftp_upload_appears_on_an_open_contact_sheet(live_server, browser):
    create_user("edith", DESK_PASSWORD, "editor")
    create_user("cam", DESK_PASSWORD, "contributor")
    port = free_port()
    ftp_server = make_server("127.0.0.1", port)
    threading.Thread(target=ftp_server.serve_forever, kwargs={"handle_exit": False}, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url)
        assert page.locator(".sheet li .headline").count() == 0
        assert page.inner_text("#sheet-count") == "0 photos"
        with ftplib.FTP() as ftp:
            ftp.connect("127.0.0.1", port)
            ftp.login("cam", DESK_PASSWORD)
            ftp.storbinary("STOR IMG_0100.JPG", io.BytesIO(agency_jpeg("Goal!", headline="The winning goal")))
        page.wait_for_selector(".sheet li .headline:has-text('The winning goal')", timeout=10_000)
        assert "1 new photo since this page opened: 1 by FTP" in page.inner_text("#arrivals")
        assert page.inner_text("#sheet-count") == "1 photo"  # the count follows the arrivals
    finally:
        context.close()
        ftp_server.close_all()
