"""Schema changes that stay quick on a large archive."""

from __future__ import annotations

from django.db import migrations


class AddColumn(migrations.AddField):
    """``AddField`` for a NOT NULL column with a constant default, added in
    place on SQLite too. Django's SQLite backend copies the whole table for
    such a column (it cannot drop the default afterwards); on a million
    photos that is a copy per field. ``ALTER TABLE ... ADD COLUMN`` with the
    default is instant, and the database default left on the column is one
    Django never relies on. Other databases take Django's own path, which is
    already instant on PostgreSQL 11 and later."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        # SQLite takes no parameters in DDL: its schema editor writes the
        # default as a literal. A JSON column's validity check is not in it.
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        check = field.db_parameters(connection=schema_editor.connection)["check"]
        definition += f" CHECK ({check})" if check else ""
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} ADD COLUMN {quote(field.column)} {definition}", params or None
        )
