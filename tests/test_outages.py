"""Fault drills: a service stops or hangs while picdesk runs; nothing is
lost, and it recovers without a restart. Each drill has its own Redis."""

from __future__ import annotations

import pytest

from picdesk.slideshows.publishing import unpublish
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db


def _cache_on(settings, url: str) -> None:
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
             "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    settings.CACHES = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}


def test_pages_are_rendered_while_the_page_cache_is_down_and_cached_again_after(client, settings, private_redis):
    _cache_on(settings, private_redis.url)
    show = make_slideshow("Through the outage", photos=[make_photo("Still served.")])
    assert client.get("/").status_code == 200
    private_redis.stop()
    for address in ("/", show.get_absolute_url(), "/search/?q=served"):
        assert client.get(address).status_code == 200, address
    private_redis.start()  # empty: every page is rendered again, then kept
    assert client.get(show.get_absolute_url()).status_code == 200
    import redis

    assert redis.Redis.from_url(private_redis.url).dbsize() > 0


def test_an_unpublication_while_the_page_cache_hangs_is_not_undone_when_it_answers(client, settings,
                                                                                   private_redis):
    """Redis paused (its data kept, as in a network partition): the desk's
    change goes through, and once Redis answers no page it missed is served."""
    _cache_on(settings, private_redis.url)
    show = make_slideshow("Soon withdrawn", photos=[make_photo("Withdrawn.")])
    address = show.get_absolute_url()
    assert client.get(address).status_code == 200
    assert client.get(address).status_code == 200  # now from the page cache
    private_redis.pause()
    unpublish(show)
    assert client.get(address).status_code == 404  # rendered: the cache does not answer
    private_redis.resume()
    assert client.get(address).status_code == 404  # the purge it missed was made first
    assert b"Soon withdrawn" not in client.get("/").content
