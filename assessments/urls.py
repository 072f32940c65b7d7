from django.urls import include, path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "reports/<int:year>/",
        include(
            [
                path("", views.round_detail, name="round"),
                path("grade/<int:report_id>/", views.grade, name="grade"),
                path("publish/", views.publish, name="publish"),
                path("sheet/<int:report_id>/", views.grade_sheet, name="grade_sheet"),
            ]
        ),
    ),
    path("grid/", views.grid, name="grid"),
    path("grid/export/", views.grid_export, name="grid_export"),
    path(
        "evaluations/<int:year>/",
        include(
            [
                path("", views.evaluations, name="evaluations"),
                path("grade/<int:evaluation_id>/", views.evaluation_grade, name="evaluation_grade"),
                path("meeting/<int:evaluation_id>/", views.evaluation_meeting, name="evaluation_meeting"),
            ]
        ),
    ),
]
