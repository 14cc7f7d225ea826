from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "picdesk.photos"
    label = "photos"
    verbose_name = "Photos"
