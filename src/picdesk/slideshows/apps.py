from django.apps import AppConfig


class SlideshowsConfig(AppConfig):
    name = "picdesk.slideshows"
    label = "slideshows"
    verbose_name = "Slideshows"

    def ready(self):
        from picdesk.core import effects
        from picdesk.slideshows import exposure, invalidation, routing  # noqa: F401  (connect their receivers)

        effects.register("exposure", exposure.sync_now)
