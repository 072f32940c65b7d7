from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("中试基地")

    def ready(self):
        # Imported here: registrations imports the models, which exist only once the apps are loaded.
        from bases import registrations

        registrations.register()
        post_migrate.connect(registrations.ensure_default_fund_categories, sender=self)
