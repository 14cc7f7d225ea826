from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "picdesk.audit"
    label = "audit"
    verbose_name = "Audit log"
