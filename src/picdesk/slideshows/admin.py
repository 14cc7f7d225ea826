from django.contrib import admin

from picdesk.slideshows.models import Series, Slide, Slideshow


class SlideInline(admin.TabularInline):
    model = Slide
    raw_id_fields = ["photo"]
    extra = 0


@admin.register(Slideshow)
class SlideshowAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "series"]
    list_filter = ["status", "series"]
    search_fields = ["title", "summary"]
    inlines = [SlideInline]


admin.site.register(Series)
