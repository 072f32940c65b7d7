"""What the reviews app registers with the platform and with bases, called from
ReviewsConfig.ready(): one function per concern."""

from bases import extensions as base_extensions
from bases.models import Status
from portal.documents.issuing import register_kind
from reviews import documents, extensions
from reviews.selectors import preliminary_notes_for


def register_document_kinds() -> None:
    """The public notice, the panel's score summary and the acceptance opinion."""
    for kind in documents.KINDS:
        register_kind(kind)


def register_base_extensions() -> None:
    """The review's part of a base's page, its workspace due dates, lifecycle bar and dossier."""
    base_extensions.register_base_page_context(extensions.base_page_context)
    base_extensions.register_application_notes(preliminary_notes_for)
    base_extensions.register_due_annotation(Status.IN_NOTICE, extensions.notice_ends_on)
    base_extensions.register_due_annotation(Status.EXPERT_REVIEW, extensions.panel_due_on)
    base_extensions.register_status_deadline(Status.IN_NOTICE, extensions.notice_deadline)
    base_extensions.register_attachment_folder(extensions.SITE_PHOTOS)
