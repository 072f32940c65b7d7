"""What bases registers with its own registries and the platform's once the apps are loaded
(BasesConfig.ready), so the platform serves it without naming it. One function per concern."""

from django.utils.text import format_lazy

from bases import jobs, permissions
from bases.documents import BASE_KINDS
from bases.exports import run_roster_export
from bases.filing_kinds import register_filing_kind
from bases.migrations_support import DEFAULT_FUND_CATEGORIES
from bases.models import FundCategory, PilotBaseGroupObjectPermission, PilotBaseUserObjectPermission
from bases.permissions import bases_follow_supervisor
from bases.policy import REVOCATION_ARTICLES, RevocationReason
from bases.services.filing_kinds import AcceptanceKind, ChangeRequestKind, ExtensionKind, TaskBookKind
from portal.accounts.backends import watch_object_permissions
from portal.accounts.permissions import declare_bureau_right, grant_role_permissions
from portal.accounts.permissions import register_rules as register_named_rules
from portal.accounts.services import register_supervisor_follower
from portal.documents.issuing import register_kind
from portal.documents.runners import register_job_runner
from portal.scheduling.jobs import ACTIONS, REMINDERS, register_daily_job
from portal.workflow.reasons import register_reason_texts


def register_filing_kinds() -> None:
    """bases' four filings after approval, in the order lists and pages show them (Art. 8-4, 6-3, 14)."""
    for kind in (TaskBookKind(), ExtensionKind(), AcceptanceKind(), ChangeRequestKind()):
        register_filing_kind(kind)


def ensure_default_fund_categories(sender, **kwargs) -> None:
    """Art. 10's three named uses are always there as expense categories: after every migrate and
    after a database flush (which re-emits post_migrate), not only after the data migration."""
    for code, name, name_en, position in DEFAULT_FUND_CATEGORIES:
        FundCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position, "active": True}
        )


def register_daily_jobs() -> None:
    # Art. 8-4: a base not accepted after its extension is revoked before the day's reminders.
    register_daily_job(jobs.revoke_unaccepted_after_extension, order=ACTIONS + 10)
    register_daily_job(jobs.remind_task_book_due, order=REMINDERS + 10)
    register_daily_job(jobs.remind_construction_deadline, order=REMINDERS + 11)
    register_daily_job(jobs.remind_acceptance_window, order=REMINDERS + 12)
    register_daily_job(jobs.remind_measures_expiry, order=REMINDERS + 30)


def register_base_rights() -> None:
    # The bureau's right is its right to review bases (Art. 4), granted to the bureau's role as it is
    # declared; the roles' other global rights on bases' models.
    declare_bureau_right(permissions.REVIEW_PERMISSION)
    grant_role_permissions(permissions.GLOBAL_PERMISSIONS)
    # The pilot bases' direct object-permission tables: a change starts new permission checkers.
    watch_object_permissions(PilotBaseGroupObjectPermission, PilotBaseUserObjectPermission)
    # A host unit moved to another jurisdiction takes its bases and their rights along.
    register_supervisor_follower(bases_follow_supervisor)


def register_rules() -> None:
    # Templates ask a base's rights by name through rules' one tag.
    register_named_rules(permissions.RULES)


def register_revocation_reasons() -> None:
    # A revocation's record shows its reason and the article it rests on.
    register_reason_texts(
        {
            reason.value: format_lazy("{} · {}", reason.label, REVOCATION_ARTICLES[reason])
            for reason in RevocationReason
        }
    )


def register_document_kinds() -> None:
    """A base's own documents (application, task book, recommendation letter, the bureau's notices)."""
    for kind in BASE_KINDS:
        register_kind(kind)


def register_job_runners() -> None:
    """The roster export too large for a request runs in the worker."""
    register_job_runner("roster_export", run_roster_export)


def register() -> None:
    register_filing_kinds()
    register_daily_jobs()
    register_base_rights()
    register_rules()
    register_revocation_reasons()
    register_document_kinds()
    register_job_runners()
