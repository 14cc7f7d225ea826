"""Next Slideshows and More in Pictures: which slideshows, in which order."""

import datetime as dt

import pytest
from django.utils import timezone

from picdesk.slideshows.rails import more_in_pictures, next_slideshows
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db


@pytest.fixture
def week():
    """Seven live slideshows, one a day, "day 7" the oldest; plus a draft and a
    scheduled one, which no rail may show."""
    photo = make_photo()
    shows = {n: make_slideshow(f"day {n}", photos=[photo], days_ago=n) for n in range(1, 8)}
    make_slideshow("draft", photos=[photo], days_ago=2.5, publish=False)
    make_slideshow("scheduled", photos=[photo], days_ago=-1)
    return shows


def titles(shows):
    return [s.title for s in shows]


def test_next_are_the_ones_published_right_after_oldest_first(week):
    assert titles(next_slideshows(week[7])) == ["day 6", "day 5", "day 4", "day 3"]
    assert titles(next_slideshows(week[5])) == ["day 4", "day 3", "day 2", "day 1"]


def test_next_for_the_newest_fills_up_with_those_right_before(week):
    assert titles(next_slideshows(week[3])) == ["day 2", "day 1", "day 4", "day 5"]
    assert titles(next_slideshows(week[1])) == ["day 2", "day 3", "day 4", "day 5"]


def test_next_breaks_ties_in_publication_time_by_creation():
    photo = make_photo()
    moment = timezone.now() - dt.timedelta(hours=1)
    a, b, c = (make_slideshow(t, photos=[photo]) for t in "abc")
    for show in (a, b, c):
        show.published_at = moment
        show.save()
    assert titles(next_slideshows(a, 1)) == ["b"]
    assert titles(next_slideshows(b, 1)) == ["c"]


def test_more_in_pictures_is_the_latest_other_than_this_newest_first(week):
    assert titles(more_in_pictures(week[2], 3)) == ["day 1", "day 3", "day 4"]
    assert len(more_in_pictures(week[2])) == 6  # all other live ones, under the default 9


def test_counts_are_settings(week, monkeypatch):
    monkeypatch.setenv("PICDESK_NEXT_SLIDESHOWS", "2")
    monkeypatch.setenv("PICDESK_MORE_IN_PICTURES", "1")
    assert titles(next_slideshows(week[7])) == ["day 6", "day 5"]
    assert titles(more_in_pictures(week[7])) == ["day 1"]


def test_rails_never_show_drafts_or_scheduled(week):
    seen = set()
    for show in week.values():
        seen |= set(titles(next_slideshows(show, 10))) | set(titles(more_in_pictures(show, 10)))
    assert "draft" not in seen and "scheduled" not in seen
