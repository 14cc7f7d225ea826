"""Migrations stay quick on a large archive (core.schema), and the models
and the migrations agree."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.state import ModelState, ProjectState

from picdesk.core.schema import AddColumn

ROWS = 500


def _table_root():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rootpage FROM sqlite_master WHERE name = 'schema_thing'")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-place path is SQLite's; elsewhere Django's own")
def test_a_column_is_added_in_place_with_its_default_and_check():
    before = ProjectState()
    before.add_model(ModelState("schema", "Thing", [("id", models.AutoField(primary_key=True))]))
    with connection.schema_editor() as editor:
        editor.create_model(before.apps.get_model("schema", "Thing"))
    try:
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO schema_thing (id) VALUES (%s)", [(n,) for n in range(1, ROWS + 1)])
        root = _table_root()
        after = before.clone()
        operations = [AddColumn("thing", "note", models.TextField(blank=True)),
                      AddColumn("thing", "names", models.JSONField(default=list, blank=True))]
        for operation in operations:
            state = after.clone()
            operation.state_forwards("schema", state)
            with connection.schema_editor() as editor:
                operation.database_forwards("schema", editor, after, state)
            after = state
        assert _table_root() == root  # the same b-tree: not a copy of the table
        thing = after.apps.get_model("schema", "Thing")
        assert thing.objects.filter(note="", names=[]).count() == ROWS
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'schema_thing'")
            assert 'CHECK ((JSON_VALID("names")' in cursor.fetchone()[0]
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(before.apps.get_model("schema", "Thing"))


@pytest.mark.django_db
def test_the_models_need_no_migration_that_is_not_written():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
