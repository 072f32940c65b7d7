from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台")

    def ready(self):
        from portal.dashboards import connect_invalidation
        from portal.forms import install_input_bounds

        connect_invalidation()
        install_input_bounds()
