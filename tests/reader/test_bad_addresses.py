"""Addresses nobody should send get a clear 4xx, never a 500: numbers too
long for any query or date, URLs that are not URLs."""

import pytest

from tests.factories import make_slideshow

pytestmark = pytest.mark.django_db

TOO_LONG = "99999999999999999999"


@pytest.mark.parametrize("url", [
    f"/pictures/{TOO_LONG}/1/",
    f"/pictures/2026/{TOO_LONG}/",
    f"/pictures/a-slideshow/{TOO_LONG}/",
    f"/sitemaps/{TOO_LONG}-1.xml",
    f"/sitemaps/2026-{TOO_LONG}.xml",
    "/sitemaps/2026-13.xml",
    "/pictures/2026/13/",
    f"/media/r/key/{TOO_LONG}.jpg",
    f"/desk/photos/{TOO_LONG}/",
    "/oembed?url=http://[::1/pictures/a-slideshow/",
    "/oembed?url=http://[zz]/x",
])
def test_a_bad_address_is_a_4xx(client, make_user, url):
    make_slideshow()
    client.raise_request_exception = False
    client.force_login(make_user("contributor"))
    assert 400 <= client.get(url).status_code < 500, url
