"""What the assessments app registers with the layers below it, once its models are loaded
(AssessmentsConfig.ready())."""

from django.db.models.signals import post_delete, post_save

from assessments import documents, extensions, jobs, permissions
from assessments.filings import AnnualReportKind, EvaluationKind
from assessments.models import AnnualGrade, AnnualReport, Evaluation
from assessments.selectors import FIGURES_VERSION
from bases.exports import register_roster_column
from bases.extensions import register_construction_context
from bases.filing_kinds import register_filing_kind
from bases.models import PilotBase
from portal.accounts.permissions import register_rules as register_named_rules
from portal.cache_versions import bump_version
from portal.documents.issuing import register_kind
from portal.scheduling.jobs import REMINDERS, register_daily_job


def register_filing_kinds() -> None:
    """The annual report and the evaluation run the chain of bases' filings (Art. 15, 17)."""
    register_filing_kind(AnnualReportKind())
    register_filing_kind(EvaluationKind())


def _invalidate_figures(**_kwargs) -> None:
    bump_version(FIGURES_VERSION)


def connect_figure_invalidation() -> None:
    """The assessments page's cached figures are replaced when a base, report, grade or evaluation is
    saved or deleted (assessments.selectors.FIGURES_VERSION)."""
    for model in (PilotBase, AnnualGrade, AnnualReport, Evaluation):
        label = model._meta.label
        post_save.connect(
            _invalidate_figures, sender=model, dispatch_uid=f"assessments-figures-{label}-save", weak=False
        )
        post_delete.connect(
            _invalidate_figures, sender=model, dispatch_uid=f"assessments-figures-{label}-delete", weak=False
        )


def register_daily_jobs() -> None:
    register_daily_job(jobs.remind_annual_report_due, order=REMINDERS + 20)
    register_daily_job(jobs.remind_evaluation_due, order=REMINDERS + 21)


def register_document_kinds() -> None:
    """The annual grading bulletin."""
    for kind in documents.KINDS:
        register_kind(kind)


def register_base_extensions() -> None:
    """The grades on a base's page and in the roster."""
    register_construction_context(extensions.construction_context)
    for column in extensions.ROSTER_COLUMNS:
        register_roster_column(column)


def register_rules() -> None:
    # Templates ask the app's rights by name through rules' one tag.
    register_named_rules(permissions.RULES)


def register() -> None:
    register_rules()
    register_filing_kinds()
    connect_figure_invalidation()
    register_daily_jobs()
    register_document_kinds()
    register_base_extensions()
