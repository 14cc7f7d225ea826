"""WSGI entry point, for `picdesk serve` and for any WSGI server an operator prefers."""

import os

from django.core.wsgi import get_wsgi_application

from picdesk.core.processes import die_with_parent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picdesk.settings")
# A web process `picdesk serve` started ends with it, however it ends (elsewhere: nothing).
die_with_parent()
application = get_wsgi_application()
