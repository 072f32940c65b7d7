from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, Role, User
from portal.accounts.permissions import sync_user_groups
from portal.accounts.services import organisation_change_supervisor
from portal.admin import AuditLogAdmin, BoundedCountAdmin


@admin.register(Organisation)
class OrganisationAdmin(BoundedCountAdmin):
    list_display = ["name", "kind", "region", "uscc", "parent", "supervising_unit", "is_active"]
    list_filter = ["kind", "region", "supervisor_category", "is_active"]
    ordering = ["name"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["supervising_unit", "parent"]
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
    actions = ["unlock_sign_in"]
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

    # Who may change what (no escalation through the admin): a superuser is made on the command line
    # only (`manage.py createsuperuser`), so "superuser" is read-only here for everyone; the staff
    # flag follows the role (an administrator is staff) and only a superuser sets it by hand; an
    # administrator changes neither their own role, unit nor status (that would give them the rights
    # of another role, e.g. to read objectors' identities), nor any superuser. Groups and individual
    # permissions are never edited here: rights come from the role (portal/accounts/permissions.py).
    ESCALATING = ("is_superuser", "is_staff")
    OWN_RECORD = ("organisation", "role", "is_active")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self.ESCALATING]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined", "is_superuser"]
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            readonly += self.OWN_RECORD
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # nor their password: the password form asks the same
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # never trust the form for these (they are not on it): derived from the role
            obj.is_superuser = bool(change and User.objects.filter(pk=obj.pk, is_superuser=True).exists())
            obj.is_staff = obj.role == Role.ADMIN or obj.is_superuser
        super().save_model(request, obj, form, change)
        sync_user_groups(obj)

    @admin.action(description=_("解除所选用户的登录锁定"), permissions=["change"])
    def unlock_sign_in(self, request, queryset):
        """A locked (username, address) pair is freed after AXES_COOLOFF_HOURS; this frees it now, from
        every address (django-axes' counters for these usernames are dropped; the logs stay)."""
        usernames = list(queryset.values_list("username", flat=True))
        locked = AccessAttempt.objects.filter(username__in=usernames).count()
        for username in usernames:
            axes_reset(username=username)
        self.message_user(request, _("已解除 %(n)s 条登录锁定记录。") % {"n": locked}, messages.SUCCESS)

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
