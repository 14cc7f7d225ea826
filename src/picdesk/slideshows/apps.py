from django.apps import AppConfig


class SlideshowsConfig(AppConfig):
    name = "picdesk.slideshows"
    label = "slideshows"
    verbose_name = "Slideshows"

    def ready(self):
        from picdesk.slideshows import routing  # noqa: F401  (connects the receiver)
