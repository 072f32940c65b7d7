from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("评审与公示")

    def ready(self):
        from portal import workdays
        from reviews.services.notices import notices_recompute

        # Art. 8-3: open notices' end dates follow the calendar when a year's holidays are entered.
        workdays.register_recompute(notices_recompute)

        # Imported here: the registrations read the models, importable only once the apps are loaded.
        from reviews import registrations

        registrations.register_document_kinds()
        registrations.register_base_extensions()
