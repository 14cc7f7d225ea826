"""Stable photo page numbers: each slide keeps the number it had (its position
when this ran), and each slideshow remembers how many it gave out."""

from django.db import migrations, models
from django.db.models import F, Max


def number_existing_slides(apps, schema_editor):
    Slide = apps.get_model("slideshows", "Slide")
    Slideshow = apps.get_model("slideshows", "Slideshow")
    Slide.objects.update(number=F("position"))
    for show in Slideshow.objects.annotate(last=Max("slides__position")):
        Slideshow.objects.filter(pk=show.pk).update(numbered_slides=show.last or 0)


class Migration(migrations.Migration):
    dependencies = [("slideshows", "0002_workflow")]
    operations = [
        migrations.AddField(
            model_name="slideshow",
            name="numbered_slides",
            field=models.PositiveIntegerField(
                default=0, help_text="Slide numbers given out so far: a number is never given twice."
            ),
        ),
        migrations.AddField(
            model_name="slide", name="number", field=models.PositiveIntegerField(default=0), preserve_default=False
        ),
        migrations.RunPython(number_existing_slides, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="slide",
            constraint=models.UniqueConstraint(fields=("slideshow", "number"), name="one_slide_per_number"),
        ),
    ]
