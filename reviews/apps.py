from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("评审与公示")

    def ready(self):
        # Imported here: registrations imports the models, which exist only once the apps are loaded.
        from reviews import registrations

        registrations.register()
