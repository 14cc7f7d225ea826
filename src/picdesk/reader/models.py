"""The search index's rows, as PostgreSQL holds them (reader.search.postgres).

On SQLite the same table is an FTS5 virtual table that the ORM cannot query;
both are made by reader's migrations, never by Django from this model.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField(max_length=10)  # "slideshow" or "photo"
    object_id = models.BigIntegerField()
    title = models.TextField()
    body = models.TextField()
    people = models.TextField()
    places = models.TextField()
    keywords = models.TextField()
    document = SearchVectorField(null=True)  # weighted: see search.postgres.DOCUMENT

    class Meta:
        managed = False
        db_table = "reader_search"
