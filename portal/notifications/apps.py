from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("通知中心")

    def ready(self):
        # The registrations import models, which can be imported only once the apps are loaded.
        from portal.notifications import registrations

        registrations.register_daily_jobs()
