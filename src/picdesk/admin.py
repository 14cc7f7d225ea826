"""Django's admin, a window onto the database for superusers: read-only,
and only where PICDESK_ADMIN turns it on (urls.py).

Every change goes through the services the desk, API and command line call
(rules, audit entries, cache purges); the admin would write rows past all of
them, so it may look and nothing else. Its sign-in is the desk's, with the
desk's lock on failed attempts.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from picdesk.api.models import ApiToken
from picdesk.audit.models import AuditEntry
from picdesk.photos.models import Photo, Rendition
from picdesk.slideshows.models import Correction, RoutingRule, Series, Slide, Slideshow


class ReadOnly:
    """Views, never adds, changes or deletes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class RenditionInline(ReadOnly, admin.TabularInline):
    model = Rendition
    fields = ["crop", "width", "height", "format", "file", "file_size", "public"]


class SlideInline(ReadOnly, admin.TabularInline):
    model = Slide
    fields = ["position", "number", "photo", "caption"]


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "byline", "credit", "width", "height", "imported_at", "killed_at"]
    search_fields = ["headline", "caption", "byline", "credit"]
    inlines = [RenditionInline]


@admin.register(Slideshow)
class SlideshowAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "published_at", "series"]
    list_filter = ["status", "series"]
    search_fields = ["title", "summary"]
    inlines = [SlideInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "photo", "slideshow", "detail"]
    list_filter = ["action"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_at", "last_used_at"]
    exclude = ["key_hash"]


for model in (Series, Correction, RoutingRule):
    admin.site.register(model, ReadOnlyAdmin)


def desk_login(request, extra_context=None):
    """The admin's sign-in is the desk's (one lock on failed attempts)."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("desk:login"))


admin.site.login = desk_login
