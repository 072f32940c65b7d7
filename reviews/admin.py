"""Admin views of the preliminary review and site visits: for looking, not for changing (conclusions
happen only through reviews.services, which move the base and log the step)."""

from django.contrib import admin

from portal.admin import AuditLogAdmin, BoundedCountAdmin
from reviews.models import (
    Objection,
    Panel,
    PanelDraw,
    PreliminaryCheck,
    PreliminaryCheckItem,
    PublicNotice,
    SiteVisit,
)


class ReadOnlyAdmin(BoundedCountAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PreliminaryCheckItemInline(admin.TabularInline):
    model = PreliminaryCheckItem
    extra = 0
    can_delete = False
    fields = ["key", "section", "ok", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PreliminaryCheck)
class PreliminaryCheckAdmin(ReadOnlyAdmin):
    list_display = ["base", "round", "reviewer", "started_at", "decision", "concluded_at"]
    list_filter = ["decision"]
    search_fields = ["base__name", "base__host__name"]
    list_select_related = ["base", "reviewer"]
    inlines = [PreliminaryCheckItemInline]


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin):
    list_display = ["base", "purpose", "visited_on", "created_by", "created_at"]
    list_filter = ["purpose", ("visited_on", admin.DateFieldListFilter)]
    search_fields = ["base__name", "participants", "findings"]
    list_select_related = ["base", "created_by"]


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    """Panels, draws, members and sheets change only through reviews.services.panels."""

    list_display = ["title", "purpose", "due_on", "state", "created_by", "created_at"]
    list_filter = ["purpose", "state"]
    search_fields = ["title"]
    list_select_related = ["created_by"]


@admin.register(PanelDraw)
class PanelDrawAdmin(AuditLogAdmin):
    """A draw is the record that lets anyone re-verify it: never changed or deleted."""

    list_display = ["panel", "kind", "seed", "requested", "drawn_by", "drawn_at"]
    list_filter = ["kind"]
    list_select_related = ["panel", "drawn_by"]


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_on", "ends_on", "working_days", "state"]
    list_filter = ["state"]
    search_fields = ["title"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    """The objector's identity is personal data: the admin sees it read-only, as the bureau does."""

    list_display = ["receipt_no", "entry", "state", "submitted_at", "resolved_at"]
    list_filter = ["state"]
    search_fields = ["receipt_no"]
    list_select_related = ["entry__notice", "entry__base"]
