from django.urls import path

from bases import views

app_name = "bases"

urlpatterns = [
    path("", views.base_list, name="list"),
    path("new/", views.base_create, name="create"),
    path("check-name/", views.name_check, name="name_check"),
    path("<int:pk>/", views.base_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.section_edit, name="edit"),
    path("<int:pk>/evidence/<int:attachment_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/act/<slug:action>/", views.base_step, name="step"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
