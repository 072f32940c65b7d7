from django.urls import include, path

from reviews.views import bureau, expert, notices, panels

app_name = "reviews"

urlpatterns = [
    path("preliminary/<int:base_id>/", bureau.preliminary, name="preliminary"),
    path("site-visits/<int:base_id>/new/", bureau.site_visit_new, name="site_visit_new"),
    path(
        "experts/",
        include(
            [
                path("", bureau.expert_list_view, name="expert_list"),
                path("new/", bureau.expert_create, name="expert_create"),
                path("import/", bureau.expert_import, name="expert_import"),
                path("import/template/", bureau.expert_import_template, name="expert_import_template"),
                path("<int:pk>/edit/", bureau.expert_edit, name="expert_edit"),
                path("<int:pk>/toggle/", bureau.expert_toggle, name="expert_toggle"),
            ]
        ),
    ),
    path("specialties/", bureau.specialty_list_view, name="specialty_list"),
    path("specialties/<int:pk>/edit/", bureau.specialty_edit, name="specialty_edit"),
    path(
        "decisions/",
        include(
            [
                path("", bureau.decision_list, name="decision_list"),
                path("new/", bureau.decision_new, name="decision_new"),
                path("<int:pk>/minutes/", bureau.decision_minutes, name="decision_minutes"),
            ]
        ),
    ),
    # expert panels
    path(
        "templates/",
        include(
            [
                path("", panels.template_list, name="template_list"),
                path("new/", panels.template_edit, name="template_new"),
                path("<int:pk>/edit/", panels.template_edit, name="template_edit"),
            ]
        ),
    ),
    path("panels/", panels.panel_list, name="panel_list"),
    path("panels/new/", panels.panel_new, name="panel_new"),
    path(
        "panels/<int:pk>/",
        include(
            [
                path("", panels.panel_detail, name="panel_detail"),
                path("substitutes/", panels.panel_substitute, name="panel_substitute"),
                path("conclude/", panels.panel_conclude, name="panel_conclude"),
                path("minutes/", panels.panel_minutes, name="panel_minutes"),
                path("export/", panels.panel_export, name="panel_export"),
            ]
        ),
    ),
    # the expert's workspace
    path("my-panels/", expert.my_panels, name="my_panels"),
    path(
        "my-panels/<int:panel_id>/",
        include(
            [
                path("", expert.my_panel, name="my_panel"),
                path("answer/", expert.my_panel_answer, name="my_panel_answer"),
                path("conflict/", expert.my_panel_conflict, name="my_panel_conflict"),
                path("bases/<int:entry_id>/", expert.my_sheet, name="my_sheet"),
            ]
        ),
    ),
    # public notices: the bureau's side
    path(
        "notices/",
        include(
            [
                path("", notices.notice_list, name="notice_list"),
                path("new/", notices.notice_new, name="notice_new"),
                path("period/", notices.notice_period, name="notice_period"),
                path("<int:pk>/", notices.notice_detail, name="notice_detail"),
                path("<int:pk>/close/", notices.notice_close, name="notice_close"),
            ]
        ),
    ),
    path("objections/<int:pk>/", notices.objection_detail, name="objection_detail"),
    path("objections/attachments/<int:pk>/", notices.objection_attachment, name="objection_attachment"),
]
