from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "picdesk.reader"
    label = "reader"
    verbose_name = "Reader pages"
