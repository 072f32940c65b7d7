"""What the review and assessment apps add to a base's pages and reads.

bases imports neither app (they sit above it); each registers its part here from its
AppConfig.ready(), and bases iterates these registries without naming the app. Each registry is a
plain dict or list with one `register_…()` function; an unregistered part is simply absent.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The base's page: (base, user) -> context merged into the page's (e.g. the review app's notes,
# site visits and panels).
BASE_PAGE_CONTEXTS: list[Callable] = []
# The base's page after approval: (base, user) -> entries merged into its "construction" part (e.g.
# the annual grades, Art. 16, and the provincial priority, Art. 15).
CONSTRUCTION_CONTEXTS: list[Callable] = []
# The bureau's notes on the application by section (Art. 8-2 preliminary review): base -> {section
# key: [(item label, note)]}; one provider.
APPLICATION_NOTES: list[Callable] = []
# The workspace's due dates: status -> (() -> {name: expression over OuterRef("pk")}), the dates a
# waiting base's due date needs from other tables, read in the same query (bases.deadlines).
DUE_ANNOTATIONS: dict[str, Callable] = {}
# The lifecycle bar: status -> ((base, today) -> (deadline, label)), for the states whose deadline
# another app holds (the public notice's end, Art. 8-3).
STATUS_DEADLINES: dict[str, Callable] = {}


@dataclass(frozen=True)
class AttachmentFolder:
    """A folder of the base's dossier: the files attached to `model` rows `ids(base)` selects."""

    folder: str
    model: type
    ids: Callable  # base -> the ids of the rows whose attachments go into the folder
    bureau_only: bool = False


ATTACHMENT_FOLDERS: list[AttachmentFolder] = []


def register_base_page_context(context: Callable) -> None:
    BASE_PAGE_CONTEXTS.append(context)


def register_construction_context(context: Callable) -> None:
    CONSTRUCTION_CONTEXTS.append(context)


def register_application_notes(notes: Callable) -> None:
    APPLICATION_NOTES[:] = [notes]


def register_due_annotation(status: str, annotations: Callable) -> None:
    DUE_ANNOTATIONS[status] = annotations


def register_status_deadline(status: str, deadline: Callable) -> None:
    STATUS_DEADLINES[status] = deadline


def register_attachment_folder(folder: AttachmentFolder) -> None:
    ATTACHMENT_FOLDERS.append(folder)


def base_page_context(base, user) -> dict:
    context = {}
    for contribute in BASE_PAGE_CONTEXTS:
        context.update(contribute(base, user))
    return context


def construction_context(base, user) -> dict:
    context = {}
    for contribute in CONSTRUCTION_CONTEXTS:
        context.update(contribute(base, user))
    return context


def application_notes(base) -> dict:
    """The notes the host must address, by application section; none when no app gives any."""
    return APPLICATION_NOTES[0](base) if APPLICATION_NOTES else {}
