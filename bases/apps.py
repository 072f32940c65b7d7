from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_default_fund_categories(sender, **kwargs) -> None:
    """Art. 10's three named uses are always there as expense categories: after every migrate and
    after a database flush (which re-emits post_migrate), not only after the data migration."""
    from bases.migrations_support import DEFAULT_FUND_CATEGORIES
    from bases.models import FundCategory

    for code, name, name_en, position in DEFAULT_FUND_CATEGORIES:
        FundCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position, "active": True}
        )


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("中试基地")

    def ready(self):
        post_migrate.connect(ensure_default_fund_categories, sender=self)
        # Imported here: the registrations read the models, importable only once the apps are loaded.
        from bases import registrations

        registrations.register_document_kinds()
        registrations.register_job_runners()
