from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "picdesk.reader"
    label = "reader"
    verbose_name = "Reader pages"

    def ready(self):
        from picdesk.reader import signals  # noqa: F401  (connects the receivers)
