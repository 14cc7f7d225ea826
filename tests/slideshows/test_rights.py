"""Rights that block: restriction phrases and rights leases, through every
channel that publishes (services, desk, API, `picdesk import`), and photos
withdrawn everywhere when their lease ends."""

import datetime as dt

import pytest
from django.utils import timezone

from picdesk.audit.models import AuditEntry
from picdesk.ops.recovery import Sweep
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.rights import BLOCK, CONFIRM, WARN, RestrictionPhrase, RightsLease
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import add_photos, create_slideshow, publish
from picdesk.slideshows.rights_gate import RightsRefused, add_lease, withdraw_forbidden
from tests.factories import make_jpeg, make_photo, make_slideshow
from tests.test_cli import picdesk

pytestmark = pytest.mark.django_db

# As every photo of the benchmark corpus carries it in IIM 2:40.
CORPUS_INSTRUCTIONS = "Not for publication: benchmark material"
NOW = timezone.now


def instructed(text: str, field: str = "Iptc.Application2.SpecialInstructions"):
    data = make_jpeg(iim={field: text}, xmp={"Xmp.photoshop.Credit": "AGENCY", "Xmp.dc.creator": ["Jane Doe"]})
    return ingest_bytes(data, "restricted.jpg").photo


def test_the_default_phrases_cover_what_agencies_write():
    actions = dict(RestrictionPhrase.objects.values_list("phrase", "action"))
    assert actions["NOT FOR PUBLICATION"] == BLOCK and actions["EMBARGOED"] == CONFIRM
    assert actions["EDITORIAL USE ONLY"] == WARN and actions["NO ARCHIVES"] == WARN


@pytest.mark.parametrize("text", [CORPUS_INSTRUCTIONS, "NOT FOR PUBLICATION", "not-for  publication!",
                                  "Picture NOT. FOR. PUBLICATION. before 6pm"])
def test_a_blocking_phrase_refuses_publication_whatever_its_case_and_punctuation(text):
    photo = instructed(text)
    with pytest.raises(RightsRefused, match="may not be published: special instructions say “NOT FOR PUBLICATION”"):
        create_slideshow("Refused", [photo], publish=True)
    assert not Slideshow.objects.filter(title="Refused").exists()
    draft = create_slideshow("A draft is fine", [photo])
    with pytest.raises(RightsRefused):
        publish(draft, confirmed=True)  # a block is no question of confirming
    draft.refresh_from_db()
    assert draft.status == Slideshow.Status.DRAFT


def test_a_phrase_inside_a_longer_word_does_not_match():
    photo = instructed("Not for publications committee")  # "publications" is not "publication"
    assert create_slideshow("Fine", [photo], publish=True).status == Slideshow.Status.PUBLISHED


def test_a_confirm_phrase_publishes_only_once_an_editor_confirms(make_user):
    from picdesk.audit.models import Actor

    photo = instructed("EMBARGOED until 18:00 GMT Dec. 4", field="Iptc.Application2.SpecialInstructions")
    show = create_slideshow("Embargoed", [photo])
    editor = Actor("desk", make_user("editor"))
    with pytest.raises(RightsRefused, match="needs an editor's confirmation"):
        publish(show, by=editor)
    publish(show, by=editor, confirmed=True)
    assert show.status == Slideshow.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="confirmed restriction", slideshow=show)
    assert entry.user == editor.user and "EMBARGOED" in entry.detail


def test_adding_a_blocked_photo_to_a_live_slideshow_is_refused_and_to_a_draft_is_not():
    live, draft = make_slideshow("Live"), make_slideshow("Draft", publish=False)
    photo = instructed(CORPUS_INSTRUCTIONS)
    with pytest.raises(RightsRefused):
        add_photos(live, [photo])
    assert live.slides.count() == 1
    assert add_photos(draft, [photo]) == 1


def test_usage_terms_are_read_as_well():
    photo = make_photo("A caption.", usage_terms="Do not use: legal hold")
    with pytest.raises(RightsRefused, match="usage terms say “DO NOT USE”"):
        create_slideshow("Refused", [photo], publish=True)


def test_the_phrase_list_is_the_desks(editor):
    page = editor.get("/desk/restrictions/")
    assert page.status_code == 200 and "NOT FOR PUBLICATION" in page.content.decode()
    response = editor.post("/desk/restrictions/", {"block": "Not for publication\nSTRENG VERTRAULICH",
                                                   "confirm": "", "warn": "no archives"})
    assert response.status_code == 302
    assert dict(RestrictionPhrase.objects.values_list("matches", "action")) == {
        "not for publication": BLOCK, "streng vertraulich": BLOCK, "no archives": WARN}
    assert AuditEntry.objects.filter(action="saved the restriction phrases").exists()
    with pytest.raises(RightsRefused):
        create_slideshow("Refused", [instructed("Streng vertraulich!")], publish=True)
    # EMBARGOED is no longer on the list: nothing to confirm.
    assert create_slideshow("Fine", [instructed("EMBARGOED")], publish=True).status == Slideshow.Status.PUBLISHED


def test_contributors_cannot_change_the_list(signed_in):
    assert signed_in("contributor").post("/desk/restrictions/", {"block": ""}).status_code == 403
    assert RestrictionPhrase.objects.filter(action=BLOCK).exists()


def test_the_desk_refuses_to_publish_and_says_why(editor):
    show = create_slideshow("From the desk", [instructed(CORPUS_INSTRUCTIONS)])
    response = editor.post(f"/desk/slideshows/{show.pk}/publish/", {"confirm": "1"})
    assert response.status_code == 409
    assert "Not published" in response.content.decode() and "NOT FOR PUBLICATION" in response.content.decode()
    show.refresh_from_db()
    assert show.status == Slideshow.Status.DRAFT


def test_the_contact_sheet_badges_what_may_not_be_published(editor):
    blocked = instructed(CORPUS_INSTRUCTIONS)
    make_photo("Free to use.")
    denied, ended = make_photo("Denied by a lease."), make_photo("Its lease ended.")
    add_lease(denied, "deny")
    add_lease(ended, "allow", ends_at=timezone.now() - dt.timedelta(days=1))
    page = editor.get("/desk/").content.decode()
    assert page.count("Rights: may not be published") == 3
    cards = page.split("Rights: may not be published")[:-1]
    assert [f'data-photo="{photo.pk}"' in card.rsplit('class="card', 1)[1]
            for photo, card in zip([ended, denied, blocked], cards)] == [True, True, True]


def test_the_api_refuses_with_409_and_takes_a_confirmation(client):
    from picdesk.api.models import ApiToken

    _, key = ApiToken.issue("wire", scopes=["read", "upload", "publish"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    blocked, embargoed = instructed(CORPUS_INSTRUCTIONS), instructed("EMBARGOED")

    def post(photo, **extra):
        body = {"title": "Via the API", "photos": [photo.public_key], "publish": True, **extra}
        return client.post("/api/v1/slideshows", body, content_type="application/json", **auth)

    refused = post(blocked, confirm_restrictions=True)
    assert refused.status_code == 409 and "NOT FOR PUBLICATION" in refused.json()["error"]
    assert post(embargoed).status_code == 409
    assert post(embargoed, confirm_restrictions=True).status_code == 201
    assert AuditEntry.objects.filter(action="confirmed restriction", detail__contains="via api").exists()


def test_picdesk_import_keeps_the_photos_as_a_draft(tmp_path):
    photo = tmp_path / "corpus.jpg"
    photo.write_bytes(make_jpeg(iim={"Iptc.Application2.SpecialInstructions": CORPUS_INSTRUCTIONS}))
    result = picdesk(tmp_path / "home", "import", str(photo), "--slideshow", "Corpus", "--publish")
    assert result.returncode == 1
    assert "not published, left a draft" in result.stderr and "NOT FOR PUBLICATION" in result.stderr
    assert "draft slideshow “Corpus”" in result.stdout


# Leases


def test_a_deny_lease_refuses_publication_and_an_allow_lease_that_ended_too():
    denied, lapsed, allowed = make_photo("Denied."), make_photo("Lapsed."), make_photo("Allowed.")
    RightsLease.objects.create(photo=denied, access="deny", ends_at=NOW() + dt.timedelta(days=1), note="legal")
    RightsLease.objects.create(photo=lapsed, access="allow", ends_at=NOW() - dt.timedelta(hours=1))
    RightsLease.objects.create(photo=allowed, access="allow", starts_at=NOW() - dt.timedelta(days=1),
                               ends_at=NOW() + dt.timedelta(days=1))
    with pytest.raises(RightsRefused, match="a rights lease denies use") as refused:
        create_slideshow("Refused", [denied, lapsed, allowed], publish=True)
    assert {photo.pk for photo in refused.value.blocked} == {denied.pk, lapsed.pk}
    assert create_slideshow("Fine", [allowed], publish=True).status == Slideshow.Status.PUBLISHED


def test_a_schedule_past_the_lease_is_refused():
    photo = make_photo("Licensed for today.")
    RightsLease.objects.create(photo=photo, access="allow", ends_at=NOW() + dt.timedelta(hours=2))
    with pytest.raises(RightsRefused):
        create_slideshow("Tomorrow", [photo], publish=True, published_at=NOW() + dt.timedelta(days=1))


def test_a_lease_that_ends_withdraws_the_photo_everywhere(client, django_capture_on_commit_callbacks):
    keep, leased = make_photo("Stays."), make_photo("Licensed until a moment ago.")
    show = make_slideshow("Live", photos=[keep, leased])
    slide_url = show.slides.get(photo=leased).get_absolute_url()
    RightsLease.objects.create(photo=leased, access="allow", ends_at=NOW() + dt.timedelta(seconds=1))
    assert client.get(slide_url).status_code == 200
    assert withdraw_forbidden(NOW()) == 0  # still allowed
    with django_capture_on_commit_callbacks(execute=True):
        assert withdraw_forbidden(NOW() + dt.timedelta(seconds=2)) == 1
    assert list(show.slides.values_list("photo_id", flat=True)) == [keep.pk]
    assert client.get(slide_url).status_code in (404, 410)
    assert leased.public_key not in client.get(show.get_absolute_url()).content.decode()
    entry = AuditEntry.objects.get(action="photo withdrawn")
    assert entry.photo_id == leased.pk and "no rights lease allows use now" in entry.detail


def test_a_job_is_queued_for_the_moment_a_lease_starts_or_ends(django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    from picdesk.slideshows.tasks import withdraw_at_lease_boundary

    starts, ends = NOW() + dt.timedelta(hours=1), NOW() + dt.timedelta(days=2)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_lease(make_photo(), "allow", starts_at=NOW() - dt.timedelta(days=1), ends_at=ends)
        add_lease(make_photo(), "deny", starts_at=starts)
    queued = [result for result in default_task_backend.results
              if result.task.func is withdraw_at_lease_boundary.func]
    assert sorted(result.task.run_after for result in queued) == [starts, ends]
    # Run when due, the job withdraws what the lease then forbids.
    photo = make_photo("Licensed for a moment.")
    show = make_slideshow("Live", photos=[photo, make_photo("Other.")])
    RightsLease.objects.create(photo=photo, access="allow", ends_at=NOW() - dt.timedelta(seconds=1))
    assert withdraw_at_lease_boundary.call() == 1 and not show.slides.filter(photo=photo).exists()


def test_the_workers_sweep_withdraws_it(monkeypatch):
    # A worker drops its connection after each sweep; this test's is its transaction.
    monkeypatch.setattr("picdesk.ops.recovery.close_old_connections", lambda: None)
    photo = make_photo("Denied from a moment ago.")
    show = make_slideshow("Live", photos=[photo, make_photo("Other.")])
    RightsLease.objects.create(photo=photo, access="deny", starts_at=NOW() - dt.timedelta(seconds=1))
    Sweep(database_queue=True).now()
    assert not show.slides.filter(photo=photo).exists()


def test_a_deny_lease_added_on_the_desk_withdraws_at_once(editor, django_capture_on_commit_callbacks):
    photo = make_photo("Legal says no.")
    show = make_slideshow("Live", photos=[photo])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/desk/photos/{photo.pk}/leases/", {"lease-access": "deny", "lease-note": "court order"})
    assert response.status_code == 302
    show.refresh_from_db()
    assert show.status == Slideshow.Status.UNPUBLISHED and not show.slides.exists()
    page = editor.get(f"/desk/photos/{photo.pk}/").content.decode()
    assert "a rights lease denies use" in page and "court order" in page
    assert AuditEntry.objects.filter(action="added a rights lease", photo=photo).exists()


def test_a_lease_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="must end after it starts"):
        add_lease(make_photo(), "allow", starts_at=NOW(), ends_at=NOW() - dt.timedelta(days=1))
