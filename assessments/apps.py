from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核与评估")

    def ready(self):
        # Imported here: the registrations read the models, importable only once the apps are loaded.
        from assessments import registrations

        registrations.register_document_kinds()
        registrations.register_base_extensions()

        from django.db.models.signals import post_delete, post_save

        from assessments.models import AnnualGrade, AnnualReport, Evaluation
        from assessments.selectors import FIGURES_VERSION
        from bases.models import PilotBase
        from portal.cache_versions import bump_version

        def invalidate(**_kwargs):
            bump_version(FIGURES_VERSION)

        for model in (PilotBase, AnnualGrade, AnnualReport, Evaluation):
            label = model._meta.label
            post_save.connect(
                invalidate, sender=model, dispatch_uid=f"assessments-figures-{label}-save", weak=False
            )
            post_delete.connect(
                invalidate, sender=model, dispatch_uid=f"assessments-figures-{label}-delete", weak=False
            )
