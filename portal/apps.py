from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.forms import install_input_bounds


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台")

    def ready(self):
        install_input_bounds()
