"""What the assessments app registers with the platform and with bases, called from
AssessmentsConfig.ready(): one function per concern."""

from assessments import documents, extensions
from bases.exports import register_roster_column
from bases.extensions import register_construction_context
from portal.documents.issuing import register_kind


def register_document_kinds() -> None:
    """The annual grading bulletin."""
    for kind in documents.KINDS:
        register_kind(kind)


def register_base_extensions() -> None:
    """The grades on a base's page and in the roster."""
    register_construction_context(extensions.construction_context)
    for column in extensions.ROSTER_COLUMNS:
        register_roster_column(column)
