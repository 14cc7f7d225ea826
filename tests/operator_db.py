"""The database of the `picdesk` commands a test runs as an operator would.

On the embedded default each command's home holds its SQLite file. When the
suite runs on PostgreSQL (DATABASE_URL), each test's commands get a fresh
database of their own, made on first use and dropped when the test ends, so
a command's home is as empty as a new SQLite file would be.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

import dj_database_url

_made: dict[str, str] = {}  # test id/name -> the database URL its commands use


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _admin():
    import psycopg

    config = dj_database_url.parse(_postgres_url())
    return psycopg.connect(dbname=config["NAME"], user=config["USER"], password=config["PASSWORD"] or None,
                           host=config["HOST"] or None, port=config["PORT"] or None, autocommit=True)


def operator_database_url(name: str = "") -> str | None:
    """The DATABASE_URL for the current test's commands (those of its
    database ``name``, for a test of two sites); None on SQLite."""
    url = _postgres_url()
    if url is None:
        return None
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0] + "/" + name
    if test not in _made:
        name = f"picdesk_op_{uuid.uuid4().hex[:16]}"
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        _made[test] = url.rsplit("/", 1)[0] + "/" + name
    return _made[test]


def drop_operator_databases() -> None:
    """Drop what this test made, whatever command still holds it."""
    if not _made:
        return
    with _admin() as admin:
        for url in _made.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    _made.clear()


def query_home(home: Path, sql: str) -> list[tuple]:
    """Rows of ``sql`` in the database of the commands run on ``home``."""
    if (url := operator_database_url()) is None:
        with sqlite3.connect(home / "picdesk.sqlite3", timeout=5) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()
