from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/<int:year>/", views.round_detail, name="round"),
    path("reports/<int:year>/grade/<int:report_id>/", views.grade, name="grade"),
    path("reports/<int:year>/publish/", views.publish, name="publish"),
    path("reports/<int:year>/sheet/<int:report_id>/", views.grade_sheet, name="grade_sheet"),
    path("grid/", views.grid, name="grid"),
    path("grid/export/", views.grid_export, name="grid_export"),
    path("evaluations/<int:year>/", views.evaluations, name="evaluations"),
    path(
        "evaluations/<int:year>/grade/<int:evaluation_id>/", views.evaluation_grade, name="evaluation_grade"
    ),
    path(
        "evaluations/<int:year>/meeting/<int:evaluation_id>/",
        views.evaluation_meeting,
        name="evaluation_meeting",
    ),
]
