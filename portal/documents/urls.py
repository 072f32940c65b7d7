"""The public verification of issued documents (no login)."""

from django.urls import path

from portal.documents import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_home, name="home"),
    path("<str:code>/", views.verify_code, name="code"),
]
