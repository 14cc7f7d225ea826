from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "picdesk.api"
    label = "api"
    verbose_name = "Syndication API"

    def ready(self):
        from picdesk.api.deliveries import deliveries_committed
        from picdesk.core import effects

        effects.register("delivery", deliveries_committed)
