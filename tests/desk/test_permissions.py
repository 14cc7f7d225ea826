"""Every desk URL needs a sign-in and the right role; every form needs its CSRF token.

``REQUIRED`` names the least role each URL needs. A URL added to the desk
without an entry here fails ``test_every_desk_url_is_listed``.
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from picdesk.desk import urls as desk_urls
from picdesk.slideshows.models import RoutingRule, Series
from picdesk.photos.rights import RightsLease
from picdesk.slideshows.deliveries import Delivery, Subscriber
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db

# name -> (least role, method)
REQUIRED = {
    "contact_sheet": ("contributor", "get"),
    "upload": ("contributor", "get"),
    "selection": ("contributor", "post"),
    "arrivals": ("contributor", "get"),
    "bulk_edit": ("contributor", "get"),
    "photo": ("contributor", "get"),
    "original": ("contributor", "get"),
    "desk_copy": ("contributor", "get"),
    "cull": ("contributor", "post"),
    "theme": ("contributor", "post"),
    "kill": ("editor", "post"),
    "crop": ("contributor", "post"),
    "slideshows": ("editor", "get"),
    "builder": ("editor", "get"),
    "publish": ("editor", "post"),
    "unpublish": ("editor", "post"),
    "correct": ("editor", "post"),
    "preview": ("editor", "get"),
    "series": ("editor", "get"),
    "rename_series": ("editor", "post"),
    "account": ("contributor", "get"),
    "users": ("admin", "get"),
    "user_role": ("admin", "post"),
    "routing": ("admin", "get"),
    "delete_rule": ("admin", "post"),
    "quarantine": ("admin", "get"),
    "quarantined_original": ("admin", "get"),
    "codes": ("admin", "get"),
    "code_expansion": ("contributor", "get"),
    "templates": ("editor", "get"),
    "names": ("editor", "get"),
    "restrictions": ("editor", "get"),
    "lease": ("editor", "post"),
    "lease_removal": ("editor", "post"),
    "deliveries": ("editor", "get"),
    "resend_delivery": ("editor", "post"),
    "subscribers": ("admin", "get"),
    "remove_subscriber": ("admin", "post"),
}
OPEN = {"login", "logout"}
ROLES = ["contributor", "editor", "admin"]


def _urls(make_user) -> dict[str, str]:
    photo = make_photo()
    show = make_slideshow(photos=[photo], publish=False)
    series = Series.objects.create(name="Photos of the week")
    killed = make_photo("To be killed")
    killed.killed_at = killed.imported_at
    killed.save()
    user = make_user("contributor", "someone")
    subscriber = Subscriber.objects.create(name="partner", url="https://partner.example/hook", secret="s")
    args = {
        "photo": [photo.pk], "original": [photo.pk], "desk_copy": [photo.pk], "kill": [photo.pk], "crop": [photo.pk], "builder": [show.pk],
        "publish": [show.pk], "unpublish": [show.pk], "correct": [show.pk], "preview": [show.pk],
        "rename_series": [series.pk], "user_role": [user.pk], "quarantined_original": [killed.pk],
        "delete_rule": [RoutingRule.objects.create(name="r", field="credit", value="x").pk],
        "lease": [photo.pk], "lease_removal": [RightsLease.objects.create(photo=photo, access="allow").pk],
        "resend_delivery": [Delivery.objects.create(subscriber=subscriber, event="published", item="/x").pk],
        "remove_subscriber": [subscriber.pk],
    }
    return {name: reverse(f"desk:{name}", args=args.get(name, [])) for name in REQUIRED}


def test_every_desk_url_is_listed():
    names = {pattern.name for pattern in desk_urls.urlpatterns}
    assert names == set(REQUIRED) | OPEN
    assert get_resolver().resolve("/desk/").namespace == "desk"


def _request(client, method, url):
    # An empty POST: enough to pass or fail the role check, and changes nothing.
    return client.get(url) if method == "get" else client.post(url, {})


def test_anonymous_visitors_are_sent_to_sign_in(make_user):
    client = Client()
    for name, url in _urls(make_user).items():
        method = REQUIRED[name][1]
        response = _request(client, method, url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/desk/login/?next="), name


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(make_user, role):
    urls = _urls(make_user)
    client = Client()
    client.force_login(make_user(role, f"the-{role}"))
    outcome = {}
    for name, url in urls.items():
        least, method = REQUIRED[name]
        response = _request(client, method, url)
        allowed = ROLES.index(role) >= ROLES.index(least)
        outcome[name] = response.status_code != 403 if allowed else response.status_code == 403
        if allowed:
            assert response.status_code in (200, 302), (name, response.status_code)
            assert "no-store" in response.get("Cache-Control", ""), name
    assert outcome == {name: True for name in urls}


def test_a_user_without_a_role_gets_403(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("nobody", password="x-y-z-12345"))
    assert client.get("/desk/").status_code == 403


def test_every_form_needs_its_csrf_token(make_user):
    urls = _urls(make_user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin", "the-admin"))
    posted = [name for name, (_, method) in REQUIRED.items() if method == "post"]
    posted += ["upload", "bulk_edit", "builder", "slideshows", "series", "users", "photo"]
    for name in posted:
        assert client.post(urls[name], {}).status_code == 403, name
    assert Client(enforce_csrf_checks=True).post("/desk/login/", {}).status_code == 403


def test_403_says_which_role_is_needed(signed_in, make_user):
    response = signed_in("contributor").get("/desk/slideshows/")
    assert response.status_code == 403
    assert "This needs the editor role." in response.content.decode()
