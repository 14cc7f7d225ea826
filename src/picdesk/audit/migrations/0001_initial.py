"""The audit log moves here from the desk app (where ``desk.0001_initial``
made its table): the model changes app in Django's state only, then its table
is renamed to this app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("desk", "0002_roles"),
        ("photos", "0003_killed"),
        ("slideshows", "0002_workflow"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("username", models.CharField(blank=True, max_length=150)),
                        ("action", models.CharField(max_length=40)),
                        ("detail", models.TextField(blank=True)),
                        ("photo", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audit", to="photos.photo")),
                        ("slideshow", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audit", to="slideshows.slideshow")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"verbose_name_plural": "audit entries", "ordering": ["-at", "-id"], "db_table": "desk_auditentry"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="auditentry", table=None),
    ]
