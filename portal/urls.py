from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from bases.views.public import roster
from portal.site import views

admin.site.site_header = _("忻州市中试基地管理平台")
admin.site.site_title = _("忻州市中试基地管理平台")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("workspace/", views.workspace, name="workspace"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("measures/", views.measures_view, name="measures"),
    path("contact/", views.contact, name="contact"),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<slug:slug>/", views.guide_detail, name="guide"),
    path("roster/", roster, name="roster"),
    path("accounts/", include("portal.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bases/", include("bases.urls")),
    path("reviews/", include("reviews.urls")),
    path("notices/", include("reviews.public_urls")),
    path("assessments/", include("assessments.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("verify/", include("portal.documents.urls")),
    path("operations/", include("portal.scheduling.urls")),
    path("admin/", admin.site.urls),
]
