from django.contrib import admin

from portal.admin import AuditLogAdmin, BoundedCountAdmin
from portal.documents.models import Attachment, IssuedDocument


@admin.register(Attachment)
class AttachmentAdmin(BoundedCountAdmin):
    list_display = [
        "original_name",
        "purpose",
        "content_type",
        "object_id",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["content_type", ("uploaded_at", admin.DateFieldListFilter)]
    search_fields = ["original_name", "sha256", "purpose"]
    list_select_related = ["content_type", "uploaded_by"]
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(AuditLogAdmin):
    """What the portal issued, with its number and SHA-256: a record, never rewritten."""

    list_display = ["number", "title", "kind", "base", "issued_by", "issued_at", "size"]
    list_filter = [("issued_at", admin.DateFieldListFilter)]
    search_fields = ["number", "title", "sha256", "kind"]
    list_select_related = ["base", "issued_by"]
