"""Desk accounts: a signed-in test client per role."""

import pytest
from django.test import Client

from picdesk.desk.roles import create_user

PASSWORD = "a-long-desk-password-42"


@pytest.fixture
def make_user(db):
    def make(role: str, name: str | None = None):
        return create_user(name or f"{role}-user", PASSWORD, role)

    return make


@pytest.fixture
def signed_in(make_user):
    """``signed_in(role)``: a client signed in as a new user with that role."""

    def sign_in(role: str) -> Client:
        client = Client()
        client.force_login(make_user(role))
        return client

    return sign_in


@pytest.fixture
def editor(signed_in) -> Client:
    return signed_in("editor")
