"""The triennial evaluation (Art. 17): the round of the bases falling due, the meeting review and site
inspection on record, and the grade; a triennial 不合格 revokes the base (bases.services.base_revoke) in
the transaction of the evaluation's grade."""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors
from assessments.models import MINUTES_PURPOSE, Evaluation, EvaluationMeeting, EvaluationRound
from assessments.permissions import require_bureau
from assessments.services.common import tell_host
from bases import review_records
from bases.exceptions import ApplicationInvalid, TransitionRefused
from bases.models import FilingState, PilotBase
from bases.policy import Grade, evaluation_requires_revocation
from bases.selectors import IN_ROSTER
from bases.services import base_revoke
from bases.services.common import MINUTES_KINDS, meeting_date_problem, minutes_problem
from portal.accounts.models import User
from portal.documents.services import attachment_create
from portal.text import join_sentences
from portal.workflow.services import lock, log_creation


def bases_due_for_evaluation(year: int) -> list[tuple[PilotBase, date]]:
    """Every base in the roster whose triennial due date falls in `year` (Art. 17), with its due
    date: the selector's set-based choice (assessments.selectors), the bases loaded in one query."""
    due = selectors.bases_due_for_evaluation(year)
    bases = PilotBase.objects.in_bulk([pk for pk, _on in due])
    return [(bases[pk], on) for pk, on in due]


@transaction.atomic
def evaluation_round_open(*, actor: User, year: int) -> EvaluationRound:
    require_bureau(actor)
    if EvaluationRound.objects.filter(year=year).exists():
        raise TransitionRefused(_("%(year)d年的三年评估已经开启。") % {"year": year})
    evaluation_round = EvaluationRound.objects.create(year=year, opened_by=actor)
    for base, due_on in bases_due_for_evaluation(year):
        evaluation = Evaluation.objects.create(
            base=base, round=evaluation_round, due_on=due_on, created_by=actor
        )
        log_creation(instance=evaluation, actor=actor, field="state")
        tell_host(
            base,
            (gettext_lazy("请提交三年评估自评报告：%(name)s"), {"name": base.name}),
            (
                gettext_lazy("该基地 %(on)s 运行满三年，请提交自评报告及相关材料（第十七条）。"),
                {"on": due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["evaluation", evaluation.pk]),
        )
    return evaluation_round


def evaluation_inspection(evaluation: Evaluation):
    """Art. 17: the site inspection of this evaluation — the latest evaluation visit to the base recorded
    since its round opened (an earlier visit belongs to an earlier evaluation), or None."""
    inspections = review_records.evaluation_inspections([evaluation.base_id], evaluation.round.opened_at)
    return inspections.get(evaluation.base_id)


def _missing(evaluation: Evaluation, has_meeting: bool, inspection) -> list[str]:
    missing = []
    if evaluation.state != FilingState.APPROVED:
        missing.append(_("自评报告尚未经市科技局受理"))
    if not has_meeting:
        missing.append(_("会议评审记录（专家组、日期、意见、会议纪要）"))
    if inspection is None:
        missing.append(_("现场考察记录（日期、人员、考察情况）"))
    return missing


def evaluation_missing(evaluation: Evaluation) -> list[str]:
    """What the evaluation still lacks before it may conclude (Art. 17: 会议评审和现场考察相结合), in the
    order the bureau gets them done; empty when it may be graded. The service refuses on this list
    and the evaluations page shows it beside each base (evaluation_checklists)."""
    has_meeting = EvaluationMeeting.objects.filter(evaluation=evaluation).exists()
    return _missing(evaluation, has_meeting, evaluation_inspection(evaluation))


def evaluation_checklists(
    evaluation_round: EvaluationRound, evaluations: list[Evaluation]
) -> dict[int, tuple]:
    """evaluation_missing for a whole round at once (its inspection or None, and what is missing, by
    evaluation id), in one query: the evaluations come with their meeting (select_related "meeting")."""
    inspections = review_records.evaluation_inspections(
        [e.base_id for e in evaluations], evaluation_round.opened_at
    )
    result = {}
    for evaluation in evaluations:
        inspection = inspections.get(evaluation.base_id)
        has_meeting = getattr(evaluation, "meeting", None) is not None
        result[evaluation.pk] = (
            inspection,
            [] if evaluation.grade else _missing(evaluation, has_meeting, inspection),
        )
    return result


def evaluation_panels(evaluation: Evaluation) -> QuerySet:
    """The evaluation panels that may have held this base's meeting review: formed since the round
    opened, with the base among what they reviewed."""
    return review_records.evaluation_panels(evaluation.base_id, evaluation.round.opened_at)


@transaction.atomic
def evaluation_meeting_record(
    *,
    actor: User,
    evaluation: Evaluation,
    panel,
    held_on: date | None,
    opinion: str,
    minutes,
    today: date | None = None,
) -> EvaluationMeeting:
    """Art. 17: record (or correct, until the grade) the meeting review of a base's evaluation: the
    evaluation panel that reviewed it and has concluded, the meeting's date, its opinion and the
    minutes as a PDF. Everything is checked before anything is written; a refusal names each field."""
    require_bureau(actor)
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.select_for_update().select_related("round", "base").get(pk=evaluation.pk)
    if evaluation.grade:
        raise TransitionRefused(_("该评估已有结果，不能再修改会议评审记录。"))
    opinion = (opinion or "").strip()
    errors = {}
    if panel is None:
        errors["panel"] = _("请选择开展会议评审的专家组。")
    elif not review_records.is_evaluation_panel(panel):
        errors["panel"] = _("所选专家组不是三年评估专家组。")
    elif (panel := evaluation_panels(evaluation).filter(pk=panel.pk).first()) is None:  # as stored now
        errors["panel"] = _("所选专家组的评审对象中没有该基地，或组建于本轮评估开启之前。")
    elif panel.is_open:
        errors["panel"] = _("所选专家组尚未完成评审（专家评分并由市科技局形成结论后方可作为会议评审）。")
    if problem := meeting_date_problem(held_on, today):
        errors["held_on"] = problem
    elif held_on.year < evaluation.round.year:
        errors["held_on"] = _("会议日期不能早于本轮评估年度。")
    if not opinion:
        errors["opinion"] = _("请填写会议评审意见。")
    if not minutes:
        errors["minutes"] = _("请上传会议纪要（PDF）。")
    elif problem := minutes_problem(minutes):
        errors["minutes"] = problem
    if errors:
        raise ApplicationInvalid(_("会议评审记录填写有误。"), field_errors=errors)
    meeting, _created = EvaluationMeeting.objects.update_or_create(
        evaluation=evaluation,
        defaults={"panel": panel, "held_on": held_on, "opinion": opinion, "recorded_by": actor},
    )
    attachment_create(
        owner=meeting, purpose=MINUTES_PURPOSE, file=minutes, uploaded_by=actor, allowed=MINUTES_KINDS
    )
    return meeting


@transaction.atomic
def evaluation_grade(
    *, actor: User, evaluation: Evaluation, grade: str, note: str = "", today: date | None = None
) -> Evaluation:
    """Grade a base's triennial evaluation. Art. 17 evaluates by meeting review and site inspection
    together: both must be on record for this round, else the grade is refused naming what is missing;
    不合格 revokes the base at once."""
    require_bureau(actor)
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.select_for_update().select_related("round", "base").get(pk=evaluation.pk)
    if evaluation.grade:
        raise TransitionRefused(_("该评估已有结果。"))
    if grade not in Grade.values:
        raise TransitionRefused(_("请选择评估结果。"))
    missing = evaluation_missing(evaluation)
    if missing:
        raise TransitionRefused(
            _("尚不能作出评估结论（第十七条），还缺少：%(missing)s。") % {"missing": join_sentences(missing)}
        )
    evaluation.grade, evaluation.grade_note, evaluation.graded_on = grade, (note or "").strip(), today
    evaluation.save(update_fields=["grade", "grade_note", "graded_on"])
    base = lock(evaluation.base)
    if evaluation_requires_revocation(grade) and base.status in IN_ROSTER:
        base_revoke(
            actor=actor,
            base=base,
            reason_code="evaluation_failed",
            note=_("%(year)d年三年评估不合格。") % {"year": evaluation.round.year},
            today=today,
        )
    else:
        tell_host(
            base,
            (
                gettext_lazy("三年评估结果：%(name)s %(grade)s"),
                {"name": base.name, "grade": evaluation.get_grade_display()},
            ),
            evaluation.grade_note,
        )
    return evaluation
