"""The effects of a change outside its own rows, run in one place once the
change is committed.

A service (publish, kill, arrange slides, ...) changes rows and *declares*
what that makes happen elsewhere: documents to purge from the caches (by
surrogate key), photos whose copies in the public bucket must follow their
new state. ``declare`` gathers them per transaction; when the outermost
transaction commits they run together, in ``ORDER`` (the public bucket
first, so that a purged cache refetching a page finds the withdrawn copy
gone), each kind once with everything declared for it. A rolled-back change
runs none. Outside a transaction they run at once.

Kinds are registered by the layer that owns them (``register`` from an
AppConfig.ready): this module knows no model and imports none.

The search index is not an effect here: it lives in the same database, so
its rows are written inside the change's own transaction and commit or roll
back with it.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

ORDER = ("exposure", "purge", "delivery")  # partners hear of a change once readers' caches have
RUNNERS: dict[str, Callable[[set], None]] = {}
# Each thread has its own connection, so each its own Pending.
PENDING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def register(kind: str, runner: Callable[[set], None]) -> None:
    """``runner(items)`` carries out the effects of ``kind`` declared in one transaction."""
    if kind not in ORDER:
        raise ValueError(f"unknown effect {kind!r}: add it to effects.ORDER, in its place")
    RUNNERS[kind] = runner


class Pending:
    """What one transaction has declared so far."""

    def __init__(self):
        self.items: dict[str, set] = {kind: set() for kind in ORDER}

    def run(self) -> None:
        """Each kind in turn; one that fails is logged and the next still runs
        (a bucket that is down must not keep a stale page in the caches)."""
        for kind in ORDER:
            if not self.items[kind]:
                continue
            try:
                RUNNERS[kind](self.items[kind])
            except Exception:
                logger.exception("the %s effect of a committed change failed", kind)


def declare(kind: str, items: Iterable) -> None:
    """``items`` (surrogate keys for "purge", photo ids for "exposure") are
    affected by the change being made: their effect runs once it commits."""
    items = set(items)
    if not items:
        return
    if kind not in RUNNERS:
        raise LookupError(f"no runner registered for effect {kind!r}")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        RUNNERS[kind](items)
        return
    _pending(connection).items[kind].update(items)


def _pending(connection) -> Pending:
    """The transaction's Pending, made (and its run put after the commit) on
    the first declaration. A Pending whose run Django dropped (its
    transaction rolled back) is not reused: its items never happened."""
    pending = PENDING.get(connection)
    if pending is None or not any(callback == pending.run for _, callback, _ in connection.run_on_commit):
        pending = PENDING[connection] = Pending()
        transaction.on_commit(pending.run)
    return pending
