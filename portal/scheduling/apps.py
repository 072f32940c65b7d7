from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "portal.scheduling"
    label = "scheduling"
    verbose_name = _("定时任务")

    def ready(self):
        # The registrations import models, which can be imported only once the apps are loaded.
        from portal.scheduling import registrations

        registrations.register_daily_jobs()
