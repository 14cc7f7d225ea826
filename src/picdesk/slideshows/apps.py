from django.apps import AppConfig


class SlideshowsConfig(AppConfig):
    name = "picdesk.slideshows"
    label = "slideshows"
    verbose_name = "Slideshows"
