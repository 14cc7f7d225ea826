"""Keep the search index current as slideshows and photos are saved or deleted."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from picdesk.photos.models import Photo
from picdesk.reader import search
from picdesk.slideshows.models import Slideshow


@receiver(post_save, sender=Slideshow)
def index_slideshow(sender, instance, raw=False, **kwargs):
    if raw:  # a restore rebuilds the whole index once it has loaded everything
        return
    search.index_slideshow(instance)


@receiver(post_save, sender=Photo)
def index_photo(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search.index_photo(instance)


@receiver(post_delete, sender=Slideshow)
@receiver(post_delete, sender=Photo)
def forget(sender, instance, **kwargs):
    search.forget("slideshow" if sender is Slideshow else "photo", instance.pk)
