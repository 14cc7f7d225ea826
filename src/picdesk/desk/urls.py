from django.contrib.auth import views as auth_views
from django.urls import path

from picdesk.desk.views import accounts, captioning, crops, culling, deliveries, photos, rights, routing, slideshows, upload

app_name = "desk"

urlpatterns = [
    path("", photos.contact_sheet, name="contact_sheet"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    path("upload/", upload.upload, name="upload"),
    path("arrivals/", photos.arrivals, name="arrivals"),
    path("selection/", photos.selection, name="selection"),
    path("photos/bulk/", photos.bulk_edit, name="bulk_edit"),
    path("photos/marks/", culling.cull, name="cull"),
    path("photos/<number:pk>/", photos.photo_detail, name="photo"),
    path("photos/<number:pk>/original/", photos.original, name="original"),
    path("photos/<number:pk>/download/", photos.desk_copy, name="desk_copy"),
    path("photos/<number:pk>/kill/", photos.kill, name="kill"),
    path("photos/<number:pk>/crop/", crops.crop, name="crop"),
    path("slideshows/", slideshows.slideshows, name="slideshows"),
    path("slideshows/<number:pk>/", slideshows.builder, name="builder"),
    path("slideshows/<number:pk>/publish/", slideshows.publish, name="publish"),
    path("slideshows/<number:pk>/unpublish/", slideshows.unpublish, name="unpublish"),
    path("slideshows/<number:pk>/correct/", slideshows.correct, name="correct"),
    path("slideshows/<number:pk>/preview/", slideshows.preview, name="preview"),
    path("series/", slideshows.series, name="series"),
    path("series/<number:pk>/", slideshows.rename_series, name="rename_series"),
    path("account/", accounts.account, name="account"),
    path("theme/", accounts.theme, name="theme"),
    path("users/", accounts.users, name="users"),
    path("users/<number:pk>/", accounts.user_role, name="user_role"),
    path("routing/", routing.rules, name="routing"),
    path("routing/<number:pk>/delete/", routing.delete_rule, name="delete_rule"),
    path("quarantine/", accounts.quarantine, name="quarantine"),
    path("codes/", captioning.codes, name="codes"),
    path("restrictions/", rights.restrictions, name="restrictions"),
    path("deliveries/", deliveries.deliveries, name="deliveries"),
    path("deliveries/<number:pk>/resend/", deliveries.resend_delivery, name="resend_delivery"),
    path("subscribers/", deliveries.subscribers, name="subscribers"),
    path("subscribers/<number:pk>/removal/", deliveries.remove, name="remove_subscriber"),
    path("photos/<number:pk>/leases/", rights.lease, name="lease"),
    path("leases/<number:pk>/removal/", rights.lease_removal, name="lease_removal"),
    path("codes/expansion/", captioning.expansion, name="code_expansion"),
    path("templates/", captioning.templates, name="templates"),
    path("names/", captioning.names, name="names"),
    path("quarantine/<number:pk>/original/", accounts.quarantined_original, name="quarantined_original"),
]
