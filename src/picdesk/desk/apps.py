from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "picdesk.desk"
    label = "desk"
    verbose_name = "Picture desk"
