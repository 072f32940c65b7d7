"""What the bases app registers with the platform, called from BasesConfig.ready(): one function
per concern."""

from bases.documents import BASE_KINDS
from bases.exports import run_roster_export
from portal.documents.issuing import register_kind
from portal.documents.runners import register_job_runner


def register_document_kinds() -> None:
    """A base's own documents (application, task book, recommendation letter, the bureau's notices)."""
    for kind in BASE_KINDS:
        register_kind(kind)


def register_job_runners() -> None:
    """The roster export too large for a request runs in the worker."""
    register_job_runner("roster_export", run_roster_export)
