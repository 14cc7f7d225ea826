"""picdesk itself as a Django app: what belongs to no layer in particular,
such as the check of its settings at start, the purge effect and the
URL converter every app's URLs use."""

from django.apps import AppConfig


class PicdeskConfig(AppConfig):
    name = "picdesk"
    label = "picdesk"
    verbose_name = "picdesk"

    def ready(self):
        from django.core import checks
        from django.urls import register_converter

        from picdesk.core import effects
        from picdesk.core.converters import Number
        from picdesk.core.config import check_settings
        from picdesk.core.purging import purge_now

        checks.register(check_settings, "settings")
        effects.register("purge", purge_now)
        register_converter(Number, "number")
