from django.contrib import admin
from django.urls import include, path

from picdesk.core.config import setting

urlpatterns = [
    path("", include("picdesk.reader.urls")),
    path("api/v1/", include("picdesk.api.urls")),
    path("desk/", include("picdesk.desk.urls")),
]
if setting("PICDESK_ADMIN"):
    urlpatterns.append(path("admin/", admin.site.urls))
