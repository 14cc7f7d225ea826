from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("picdesk.reader.urls")),
    path("api/v1/", include("picdesk.api.urls")),
    path("desk/", include("picdesk.desk.urls")),
    path("admin/", admin.site.urls),
]
