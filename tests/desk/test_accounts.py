"""Signing in, the failed-login throttle, `picdesk createuser`, and the admin's
user management."""

import time

import pytest
from django.test import Client

from picdesk.core.roles import role_of
from tests.conftest import DESK_PASSWORD as PASSWORD
from tests.test_cli import picdesk
from tests.waiting import wait_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def _sign_in(client, name, password, address="10.0.0.1"):
    return client.post("/desk/login/", {"username": name, "password": password}, REMOTE_ADDR=address)


def test_sign_in_leads_to_the_contact_sheet(make_user):
    make_user("contributor", "ana")
    response = _sign_in(Client(), "ana", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/desk/"


def test_failed_sign_ins_are_throttled_per_address_and_per_name(make_user, monkeypatch):
    monkeypatch.setenv("PICDESK_LOGIN_FAILURES", "3")
    make_user("editor", "ben")
    client = Client()
    for _ in range(3):
        assert _sign_in(client, "ben", "wrong").status_code == 200
    # Even the right password is not checked now, from this address...
    refused = _sign_in(client, "ben", PASSWORD)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # ...nor for this name from elsewhere: guessing cannot be spread over addresses.
    assert _sign_in(client, "ben", PASSWORD, address="10.0.0.2").status_code == 429
    # Another user from another address signs in as usual.
    make_user("editor", "cleo")
    assert _sign_in(client, "cleo", PASSWORD, address="10.0.0.3").status_code == 302


def test_createuser_makes_an_account_that_can_sign_in(tmp_path):
    home = tmp_path / "home"
    made = picdesk(home, "createuser", "dana", "--role", "editor", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert "dana can sign in" in made.stdout
    again = picdesk(home, "createuser", "dana", "--role", "editor", stdin=PASSWORD + "\n")
    assert again.returncode == 2 and "exists already" in again.stderr
    weak = picdesk(home, "createuser", "eve", "--role", "editor", stdin="123\n")
    assert weak.returncode == 2 and "too short" in weak.stderr
    check = picdesk(home, "manage", "shell", "-c",
                    "from django.contrib.auth import authenticate; from picdesk.core.roles import role_of;"
                    f"print(role_of(authenticate(username='dana', password='{PASSWORD}')))")
    assert check.stdout.strip().splitlines()[-1] == "editor", check.stderr


def test_an_admin_adds_users_and_changes_roles(signed_in, django_user_model):
    admin = signed_in("admin")
    response = admin.post("/desk/users/", {"username": "fred", "password": PASSWORD, "role": "contributor"})
    assert response.status_code == 302
    fred = django_user_model.objects.get(username="fred")
    assert role_of(fred) == "contributor"
    admin.post(f"/desk/users/{fred.pk}/", {"role": "editor", "active": "1"})
    fred.refresh_from_db()
    assert role_of(fred) == "editor"
    admin.post(f"/desk/users/{fred.pk}/", {"role": "editor"})
    fred.refresh_from_db()
    assert not fred.is_active and role_of(fred) is None
    weak = admin.post("/desk/users/", {"username": "gus", "password": "password", "role": "editor"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()


@pytest.mark.parametrize("spelling", [" ben", "ben ", "BEN", "\uff42en", "b\u0065n"])
def test_the_lock_holds_for_every_spelling_of_the_name(make_user, monkeypatch, spelling):
    monkeypatch.setenv("PICDESK_LOGIN_FAILURES", "3")
    make_user("editor", "ben")
    for n in range(3):
        _sign_in(Client(), spelling if n % 2 else "ben", "wrong", address=f"10.1.0.{n}")
    assert _sign_in(Client(), spelling, PASSWORD, address="10.2.0.1").status_code == 429
    assert _sign_in(Client(), "ben", PASSWORD, address="10.2.0.2").status_code == 429


def test_many_failures_elsewhere_do_not_evict_the_lock(make_user, monkeypatch):
    monkeypatch.setenv("PICDESK_LOGIN_FAILURES", "3")
    make_user("editor", "ben")
    for n in range(3):
        _sign_in(Client(), "ben", "wrong", address=f"10.3.0.{n}")
    for n in range(500):  # a cache keeping 300 entries would drop ben's count
        _sign_in(Client(), f"nobody{n}", "wrong", address=f"10.4.{n // 250}.{n % 250}")
    assert _sign_in(Client(), "ben", PASSWORD, address="10.5.0.1").status_code == 429


def test_failures_just_before_a_window_ends_still_count_after_it(make_user, monkeypatch):
    monkeypatch.setenv("PICDESK_LOGIN_FAILURES", "3")
    monkeypatch.setenv("PICDESK_LOGIN_WINDOW", "6")
    make_user("editor", "ben")
    wait_for(lambda: time.time() % 6 > 3, "the second half of a window", timeout=10)
    for n in range(3):
        _sign_in(Client(), "ben", "wrong", address=f"10.6.0.{n}")
    wait_for(lambda: time.time() % 6 < 3, "the next window", timeout=10)
    assert _sign_in(Client(), "ben", PASSWORD, address="10.7.0.1").status_code == 429


def test_a_successful_sign_in_gives_its_attempt_back(make_user, monkeypatch):
    monkeypatch.setenv("PICDESK_LOGIN_FAILURES", "2")
    make_user("editor", "ben")
    for _ in range(4):
        assert _sign_in(Client(), "ben", PASSWORD).status_code == 302
    assert _sign_in(Client(), "ben", "wrong").status_code == 200


def test_forty_parallel_guesses_get_no_more_checks_than_allowed(tmp_path):
    """Against a real server (granian's processes and threads, the operator's
    database): every guess is counted before its password is checked."""
    import http.cookiejar
    import re
    import subprocess
    import sys
    import urllib.parse
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from tests.test_cli import free_port, picdesk_env

    home = tmp_path / "home"
    assert picdesk(home, "createuser", "victim", "--role", "admin", stdin=PASSWORD + "\n").returncode == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
                              env=picdesk_env(PICDESK_WORKERS="0", PICDESK_LOGIN_FAILURES="5"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    login = f"http://127.0.0.1:{port}/desk/login/"

    def guess(n: int) -> int:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(login, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "victim",
                                       "password": f"wrong-{n}"}).encode()
        request = urllib.request.Request(login, data=form, headers={"Referer": login})
        try:
            return opener.open(request, timeout=30).status
        except urllib.error.HTTPError as refused:
            return refused.code

    try:
        assert f"serving http://127.0.0.1:{port}/" in server.stdout.readline()
        with ThreadPoolExecutor(40) as pool:
            answers = list(pool.map(guess, range(40)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert sorted(set(answers)) == [200, 429]
    assert answers.count(200) <= 5, f"{answers.count(200)} passwords checked"
