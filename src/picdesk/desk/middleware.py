"""Desk pages show and read times in the signed-in editor's time zone.

Only under /desk/: reader pages are shared by every cache and must not
depend on who asked.
"""

from django.urls import reverse
from django.utils import timezone

from picdesk.desk.models import time_zone_of


class DeskTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(reverse("desk:contact_sheet")):
            return self.get_response(request)
        with timezone.override(time_zone_of(request.user)):
            return self.get_response(request)
