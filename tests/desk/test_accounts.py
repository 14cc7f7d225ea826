"""Signing in, the failed-login throttle, `picdesk createuser`, and the admin's
user management."""

import pytest
from django.test import Client

from picdesk.core.roles import role_of
from tests.conftest import DESK_PASSWORD as PASSWORD
from tests.test_cli import picdesk

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
