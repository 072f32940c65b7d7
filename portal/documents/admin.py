from django.contrib import admin

from portal.documents.models import Attachment


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
