"""The search index on PostgreSQL: a table with a weighted ``tsvector`` under
a GIN index, searched through a text search configuration that ignores
accents ("valencia" finds "València"), as FTS5's ``remove_diacritics`` does
on SQLite. Nothing on SQLite, whose FTS5 table the first migration made.
"""

import django.contrib.postgres.search
from django.db import migrations, models

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # Words as written, no stemming (as FTS5's unicode61), accents folded.
    """DO $$ BEGIN
        CREATE TEXT SEARCH CONFIGURATION picdesk_search (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION picdesk_search
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
    END $$""",
    """CREATE TABLE reader_search (
        id bigserial PRIMARY KEY,
        kind varchar(10) NOT NULL,
        object_id bigint NOT NULL,
        title text NOT NULL, body text NOT NULL, people text NOT NULL,
        places text NOT NULL, keywords text NOT NULL,
        document tsvector,
        UNIQUE (kind, object_id)
    )""",
    "CREATE INDEX reader_search_document ON reader_search USING GIN (document)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS reader_search")


class Migration(migrations.Migration):
    dependencies = [("reader", "0001_search_index")]
    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=10)),
                ("object_id", models.BigIntegerField()),
                ("title", models.TextField()),
                ("body", models.TextField()),
                ("people", models.TextField()),
                ("places", models.TextField()),
                ("keywords", models.TextField()),
                ("document", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={"db_table": "reader_search", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
