"""What the reviews app registers with the layers below it, once its models are loaded
(ReviewsConfig.ready()): those layers call into reviews through these registries and never name it.
One function per concern."""

from bases import extensions as base_extensions
from bases import review_records
from bases.models import Status
from portal import workdays
from portal.accounts.permissions import register_rules as register_named_rules
from portal.documents.issuing import register_kind
from portal.scheduling.jobs import ACTIONS, REMINDERS, register_daily_job
from reviews import documents, extensions, jobs, permissions, selectors
from reviews.selectors import preliminary_notes_for
from reviews.services.notices import notices_recompute


def register_notice_recompute() -> None:
    """Art. 8-3: open notices' end dates follow the calendar when a year's holidays are entered."""
    workdays.register_recompute(notices_recompute)


def register_review_reads() -> None:
    """Art. 16, 17: the panels, scores, site inspections and score sheet the assessments app reads."""
    review_records.register_review_reads(
        evaluation_panels=selectors.evaluation_panels,
        is_evaluation_panel=selectors.is_evaluation_panel,
        evaluation_inspections=selectors.evaluation_inspections,
        evaluation_panel_scores=selectors.evaluation_panel_scores,
        annual_score_sheet=selectors.annual_score_sheet,
    )


def register_daily_jobs() -> None:
    # Art. 8-3: a notice whose period ended is closed first of the day, before any reminder.
    register_daily_job(jobs.close_ended_notices, order=ACTIONS)
    register_daily_job(jobs.remind_notice_ending, order=REMINDERS)
    register_daily_job(jobs.remind_objections_waiting, order=REMINDERS + 1)
    register_daily_job(jobs.remind_scoring_due, order=REMINDERS + 2)


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


def register_rules() -> None:
    # Templates ask the app's rights by name through rules' one tag.
    register_named_rules(permissions.RULES)


def register() -> None:
    register_rules()
    register_notice_recompute()
    register_review_reads()
    register_daily_jobs()
    register_document_kinds()
    register_base_extensions()
