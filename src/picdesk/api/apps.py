from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "picdesk.api"
    label = "api"
    verbose_name = "Syndication API"
