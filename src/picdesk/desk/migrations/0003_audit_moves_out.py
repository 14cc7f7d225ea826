"""The audit log is the ``audit`` app's now (see ``audit.0001_initial``, which
keeps the table and its rows): the desk forgets the model, in state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_roles"), ("audit", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")], database_operations=[]
        )
    ]
