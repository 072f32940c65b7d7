from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("用户与单位")

    def ready(self):
        # Both modules import models, which can be imported only once the apps are loaded.
        from portal.accounts import backends, permissions

        backends.connect_invalidation()
        permissions.register_rules(permissions.RULES)
        # Permissions exist only after post_migrate; the role groups that hold them are made then.
        post_migrate.connect(permissions.ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
