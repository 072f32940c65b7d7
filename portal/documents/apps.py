from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "portal.documents"
    label = "documents"
    verbose_name = _("文件与附件")

    def ready(self):
        # Imported here: both read the documents' models, importable only once the apps are loaded.
        from portal.documents import issuing, runners

        runners.register_job_runner("document_batch", issuing.run_batch)
