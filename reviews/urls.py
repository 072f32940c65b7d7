from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("preliminary/<int:base_id>/", views.preliminary, name="preliminary"),
    path("site-visits/<int:base_id>/new/", views.site_visit_new, name="site_visit_new"),
]
