"""SQLite's index grows a column of the words whose letters its tokenizer
cannot fold (ß, Æ, Ł, Ø...), folded as PostgreSQL's unaccent folds them
(search.sqlite.folded_words). FTS5 tables take no new column: the table is
made again, empty; ``picdesk serve`` (and any start that prepares the home)
fills an empty index again."""

from django.db import migrations

CREATE = """
CREATE VIRTUAL TABLE reader_search USING fts5(
    kind UNINDEXED, object_id UNINDEXED, title, body, people, places, keywords, folded,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""
PREVIOUS = CREATE.replace(" keywords, folded,", " keywords,")


def remake(create: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute("DROP TABLE IF EXISTS reader_search")
            schema_editor.execute(create)

    return run


class Migration(migrations.Migration):
    dependencies = [("reader", "0003_search_rowids")]
    operations = [migrations.RunPython(remake(CREATE), remake(PREVIOUS))]
