"""The services every channel calls: each change is on the record with who
and by which channel, a desk account needs its role, and the rules hold
whichever channel asks (tests/test_layers.py keeps channels from writing
models past them)."""

import pytest
from django.utils import timezone
from django.core.exceptions import PermissionDenied

from picdesk.audit.models import Actor, AuditEntry
from picdesk.slideshows import publishing
from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.models import Slideshow
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db

CHANNELS = {
    "desk": lambda user: Actor("desk", user),
    "api": lambda user: Actor("api", sender="token wire-robot"),
    "cli": lambda user: Actor("cli", sender="picdesk import"),
    "rule": lambda user: Actor("rule", sender="Wire"),
}


def entries(show: Slideshow) -> list[tuple[str, str, str]]:
    return list(show.audit.order_by("id").values_list("action", "username", "detail"))


@pytest.mark.parametrize("channel", CHANNELS)
def test_publish_schedule_unpublish_correct_and_kill_are_on_the_record_by_any_channel(make_user, channel):
    user = make_user("editor", "pat")
    by = CHANNELS[channel](user)
    show = make_slideshow(publish=False, photos=[make_photo("One."), make_photo("Two.")])
    publishing.publish(show, by=by)
    publishing.correct(show, "The town was misspelled.", by=by)
    publishing.unpublish(show, by=by)
    publishing.publish(show, by=by)
    killed = show.slides.first().photo
    kill_photo(killed, "Agency kill.", by=by)

    actions = [action for action, _, _ in entries(show)]
    assert actions[-5:] == ["published", "corrected", "unpublished", "published", "photo killed"]
    who = "pat" if channel == "desk" else ""
    assert all(username == who for _, username, _ in entries(show)[-5:])
    if channel != "desk":
        assert all(f"via {channel}" in detail for _, _, detail in entries(show)[-5:])
    kill = AuditEntry.objects.get(action="killed", photo=killed)
    assert kill.username == who and kill.detail.startswith("Agency kill.")


@pytest.mark.parametrize("change", ["publish", "unpublish", "correct", "kill", "edit", "create"])
def test_a_contributor_account_changes_nothing_an_editor_must(make_user, change):
    by = Actor("desk", make_user("contributor"))
    show = make_slideshow(photos=[make_photo("One.")])
    photo = show.slides.get().photo
    attempts = {
        "publish": lambda: publishing.publish(show, by=by),
        "unpublish": lambda: publishing.unpublish(show, by=by),
        "correct": lambda: publishing.correct(show, "A note.", by=by),
        "kill": lambda: kill_photo(photo, "No.", by=by),
        "edit": lambda: publishing.edit_slideshow(show, details={"title": "Mine"}, by=by),
        "create": lambda: publishing.create_slideshow("Mine", [photo], by=by),
    }
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        attempts[change]()
    show.refresh_from_db()
    photo.refresh_from_db()
    assert (show.status, show.title, photo.killed_at) == (Slideshow.Status.PUBLISHED, "A slideshow", None)
    assert AuditEntry.objects.count() == before and Slideshow.objects.count() == 1


def test_the_slug_is_fixed_after_first_publication_whoever_asks():
    show = make_slideshow(title="Floods in the north")
    with pytest.raises(publishing.SlugFixed):
        publishing.edit_slideshow(show, details={"slug": "something-else", "title": "New title"},
                                  by=Actor("api", sender="token x"))
    show.refresh_from_db()
    assert (show.slug, show.title) == ("floods-in-the-north", "Floods in the north")
    publishing.edit_slideshow(show, details={"title": "Floods in the north, day 2", "slug": ""}, by=Actor("cli"))
    show.refresh_from_db()
    assert (show.slug, show.title) == ("floods-in-the-north", "Floods in the north, day 2")


def test_a_draft_slug_can_change():
    show = make_slideshow(title="Draft", publish=False)
    publishing.edit_slideshow(show, details={"slug": "better-address"}, by=Actor("cli"))
    show.refresh_from_db()
    assert show.slug == "better-address"
    assert entries(show)[-1][0] == "edited"


def test_kills_and_corrections_need_their_reason():
    show = make_slideshow()
    with pytest.raises(ValueError, match="reason"):
        kill_photo(show.slides.get().photo, "  ", by=Actor("cli"))
    with pytest.raises(ValueError, match="note"):
        publishing.correct(show, "", by=Actor("cli"))
    assert show.slides.get().photo.killed_at is None


def test_a_recurring_title_gets_its_next_free_address_in_one_query(django_assert_max_num_queries):
    from picdesk.slideshows.models import Slideshow, unique_slug

    for _ in range(30):
        Slideshow.objects.create(title="Photos of the week", published_at=timezone.now())
    Slideshow.objects.create(title="Photos of the weekend", published_at=timezone.now())
    with django_assert_max_num_queries(1):
        assert unique_slug(Slideshow, "Photos of the week", "slideshow") == "photos-of-the-week-31"
    assert unique_slug(Slideshow, "Series", "slideshow") == "series-2"  # a reserved word
