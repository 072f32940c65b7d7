from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import sync_user_groups
from portal.accounts.services import organisation_change_supervisor
from portal.admin import AuditLogAdmin, BoundedCountAdmin


@admin.register(Organisation)
class OrganisationAdmin(BoundedCountAdmin):
    list_display = ["name", "kind", "region", "uscc", "supervising_unit", "is_active"]
    list_filter = ["kind", "region", "supervisor_category", "is_active"]
    ordering = ["name"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["supervising_unit"]
    list_select_related = ["supervising_unit"]

    def save_model(self, request, obj, form, change):
        moved = change and obj.is_host_unit and "supervising_unit" in form.changed_data
        super().save_model(request, obj, form, change)
        if moved:  # the bases of a host unit follow it into its new jurisdiction, with their rights
            organisation_change_supervisor(host_unit=obj, supervising_unit=obj.supervising_unit)


@admin.register(User)
class UserAdmin(BoundedCountAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["username", "full_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email", "phone")}),
        (_("单位与角色"), {"fields": ("organisation", "role")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("单位与角色"), {"fields": ("full_name", "organisation", "role", "email", "phone")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_user_groups(obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting a person would blank their name on every step they took (StateLog.by is SET_NULL):
        # people who leave are deactivated (is_active), never deleted.
        return False


# django-axes' login records are an audit trail too: read-only, like the transition log. (Its
# AccessAttempt rows are the lockout counters; deleting one there is how an admin unlocks someone.)
for model, axes_admin in [(AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    # (filtered by time only: axes' filter by path lists every distinct path of the log)
    filters = {"list_filter": [("attempt_time", admin.DateFieldListFilter)]}
    admin.site.register(model, type(f"ReadOnly{axes_admin.__name__}", (AuditLogAdmin, axes_admin), filters))
