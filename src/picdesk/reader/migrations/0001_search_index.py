"""The full-text search index (SQLite FTS5 on the embedded default).

It holds copies of text the database already has, so it can be rebuilt at any
time (``picdesk.reader.search.rebuild_index``; ``picdesk serve`` fills an empty
index). On other databases search falls back to plain substring matching.
"""

from django.db import migrations

CREATE = """
CREATE VIRTUAL TABLE reader_search USING fts5(
    kind UNINDEXED, object_id UNINDEXED, title, body, people, places, keywords,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS reader_search")


class Migration(migrations.Migration):
    dependencies = [("photos", "0002_focus_and_crops"), ("slideshows", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
