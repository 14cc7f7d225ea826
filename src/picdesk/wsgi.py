"""WSGI entry point, for `picdesk serve` and for any WSGI server an operator prefers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picdesk.settings")
application = get_wsgi_application()
