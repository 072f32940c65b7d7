from django.contrib import admin

from portal.admin import AuditLogAdmin
from portal.documents.models import Attachment, IssuedDocument


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "purpose",
        "content_type",
        "object_id",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["purpose", "content_type"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(AuditLogAdmin):
    """What the portal issued, with its number and SHA-256: a record, never rewritten."""

    list_display = ["number", "title", "kind", "base", "issued_by", "issued_at", "size"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "title", "sha256"]
    list_select_related = ["base", "issued_by"]
    date_hierarchy = "issued_at"
