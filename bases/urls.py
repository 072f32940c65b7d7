from django.urls import include, path

from bases import views
from bases.views import documents, filings, imports

app_name = "bases"

urlpatterns = [
    path("", views.base_list, name="list"),
    path("export/", views.base_export, name="export"),
    path("export/applications/", views.applications_export, name="applications_export"),
    path("import/", imports.legacy, name="legacy_import"),
    path("import/template/", imports.legacy_template, name="legacy_template"),
    path("new/", views.base_create, name="create"),
    path("check-name/", views.name_check, name="name_check"),
    # a base's own pages
    path(
        "<int:pk>/",
        include(
            [
                path("", views.base_detail, name="detail"),
                path("edit/<slug:section>/", views.section_edit, name="edit"),
                path("evidence/<int:attachment_id>/delete/", views.evidence_delete, name="evidence_delete"),
                path("act/<slug:action>/", views.base_step, name="step"),
                path("filings/<slug:kind>/new/", filings.filing_new, name="filing_new"),
                path("funds/", filings.ledger, name="ledger"),
                path("funds/export/", filings.ledger_export, name="ledger_export"),
                path("re-recognition/", filings.re_recognition_start, name="re_recognition"),
                path("dossier/", documents.dossier, name="dossier"),
            ]
        ),
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("filings/<slug:kind>/<int:fid>/", filings.filing_detail, name="filing"),
    path("filings/<slug:kind>/<int:fid>/act/<slug:action>/", filings.filing_step, name="filing_step"),
    path(
        "documents/",
        include(
            [
                path("<slug:kind>/<int:pk>/preview/", documents.preview, name="document_preview"),
                path("<slug:kind>/<int:pk>/issue/", documents.issue, name="document_issue"),
                path("", documents.document_list, name="document_list"),
                path("issued/<int:pk>/", documents.download, name="document_download"),
                path("issued/<int:pk>/page/", documents.document_detail, name="document_detail"),
                path("issued/<int:pk>/reissue/", documents.document_reissue, name="document_reissue"),
                path("<slug:kind>/batch/", documents.batch, name="document_batch"),
            ]
        ),
    ),
    path("jobs/<int:pk>/", documents.job, name="job"),
    path("jobs/<int:pk>/download/", documents.job_download, name="job_download"),
]
