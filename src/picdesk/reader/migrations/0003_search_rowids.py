"""SQLite's index rows take a rowid derived from what they index
(search.sqlite._rowid). The rows already there are dropped: ``picdesk serve``
(and any start that prepares the home) fills an empty index again."""

from django.db import migrations


def empty(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DELETE FROM reader_search")


class Migration(migrations.Migration):
    dependencies = [("reader", "0002_postgres_search_index")]
    operations = [migrations.RunPython(empty, migrations.RunPython.noop)]
