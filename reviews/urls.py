from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("preliminary/<int:base_id>/", views.preliminary, name="preliminary"),
    path("site-visits/<int:base_id>/new/", views.site_visit_new, name="site_visit_new"),
    path("experts/", views.expert_list_view, name="expert_list"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/toggle/", views.expert_toggle, name="expert_toggle"),
    path("specialties/", views.specialty_list_view, name="specialty_list"),
    path("specialties/<int:pk>/edit/", views.specialty_edit, name="specialty_edit"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_new, name="decision_new"),
]
