from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核与评估")

    def ready(self):
        # Imported here: registrations imports the models, which exist only once the apps are loaded.
        from assessments import registrations

        registrations.register()
