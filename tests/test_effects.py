"""Effects declared while a change is made run once, together and in order,
after it commits; a rolled-back change runs none (picdesk.core.effects)."""

import pytest
from django.db import transaction

from picdesk.core import effects

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ran(monkeypatch):
    """Each run of each kind, in order: the runners stand in for the caches
    and the bucket, the thing under test is what effects hands them."""
    runs = []
    for kind in effects.ORDER:
        monkeypatch.setitem(effects.RUNNERS, kind, lambda items, kind=kind: runs.append((kind, set(items))))
    return runs


def test_a_transaction_runs_each_kind_once_after_commit_in_order(ran):
    with transaction.atomic():
        effects.declare("purge", {"s1", "listings"})
        effects.declare("exposure", [7])
        with transaction.atomic():
            effects.declare("purge", {"p7"})
        assert ran == []
    assert ran == [("exposure", {7}), ("purge", {"s1", "listings", "p7"})]


def test_a_rolled_back_change_runs_nothing_and_the_next_runs_its_own(ran):
    with pytest.raises(RuntimeError), transaction.atomic():
        effects.declare("purge", {"s1"})
        raise RuntimeError("the change failed")
    with transaction.atomic():
        effects.declare("purge", {"s2"})
    assert ran == [("purge", {"s2"})]


def test_outside_a_transaction_effects_run_at_once(ran):
    effects.declare("purge", ["s3"])
    effects.declare("purge", [])
    assert ran == [("purge", {"s3"})]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="ORDER"):
        effects.register("email", print)


def test_a_failing_effect_is_logged_and_the_next_still_runs(ran, monkeypatch, caplog):
    def bucket_down(items):
        raise OSError("the bucket does not answer")

    monkeypatch.setitem(effects.RUNNERS, "exposure", bucket_down)
    with transaction.atomic():
        effects.declare("exposure", [7])
        effects.declare("purge", {"p7"})
    assert ran == [("purge", {"p7"})]
    assert "the exposure effect of a committed change failed" in caplog.text
