from django.contrib import admin

from picdesk.photos.models import Photo, Rendition


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    readonly_fields = ["width", "height", "format", "file", "file_size"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "byline", "credit", "width", "height", "imported_at"]
    search_fields = ["headline", "caption", "byline", "credit"]
    readonly_fields = ["sha256", "original", "metadata_sources", "public_key"]
    inlines = [RenditionInline]
