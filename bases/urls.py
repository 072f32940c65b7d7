from django.urls import path

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
    path("<int:pk>/", views.base_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.section_edit, name="edit"),
    path("<int:pk>/evidence/<int:attachment_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/act/<slug:action>/", views.base_step, name="step"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/filings/<slug:kind>/new/", filings.filing_new, name="filing_new"),
    path("filings/<slug:kind>/<int:fid>/", filings.filing_detail, name="filing"),
    path("filings/<slug:kind>/<int:fid>/act/<slug:action>/", filings.filing_step, name="filing_step"),
    path("<int:pk>/funds/", filings.ledger, name="ledger"),
    path("<int:pk>/funds/export/", filings.ledger_export, name="ledger_export"),
    path("<int:pk>/re-recognition/", filings.re_recognition_start, name="re_recognition"),
    path("documents/<slug:kind>/<int:pk>/preview/", documents.preview, name="document_preview"),
    path("documents/<slug:kind>/<int:pk>/issue/", documents.issue, name="document_issue"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/issued/<int:pk>/", documents.download, name="document_download"),
    path("documents/issued/<int:pk>/page/", documents.document_detail, name="document_detail"),
    path("documents/issued/<int:pk>/reissue/", documents.document_reissue, name="document_reissue"),
    path("<int:pk>/dossier/", documents.dossier, name="dossier"),
    path("documents/<slug:kind>/batch/", documents.batch, name="document_batch"),
    path("jobs/<int:pk>/", documents.job, name="job"),
    path("jobs/<int:pk>/download/", documents.job_download, name="job_download"),
]
