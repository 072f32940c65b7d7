"""The bureau's screens of annual reporting, grading and triennial evaluation (Art. 15–17). The hosts'
side is the filing page of bases.views.filings (kinds annual-report and evaluation)."""

from collections import defaultdict
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, services
from assessments.forms import EvaluationMeetingForm
from assessments.models import (
    AnnualGrade,
    AnnualReport,
    Evaluation,
    EvaluationMeeting,
    EvaluationRound,
    ReportingRound,
)
from assessments.permissions import may_assess
from assessments.selectors import FIGURES_VERSION
from assessments.services import grading, reporting, triennial
from bases import review_records
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.filters import BaseFilter
from bases.models import PilotBase, Status
from bases.policy import Grade
from portal.cache_versions import cached_figure
from portal.documents.excel import Column, excel_response
from portal.resilience import posted_text
from portal.views import act_and_return, form_to_service, pages_for

PAGE_SIZE = 20
DUE_SHOWN = 20  # the bases due for evaluation shown on the overview, the earliest first (count of all)


# Rounds, grades and evaluations are the bureau's; for anyone else these pages do not exist (404).
_bureau_page = pages_for(may_assess)


def _year(raw) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


@_bureau_page(require_http_methods(["GET", "POST"]))
def index(request):
    today = timezone.localdate()
    if request.method == "POST":
        year = _year(request.POST.get("year"))
        what = request.POST.get("what")
        try:
            if year is None:
                raise TransitionRefused(_("请填写有效的年度。"))
            if what == "reports":
                reporting.round_open(actor=request.user, year=year)
                messages.success(
                    request, _("已开启%(year)d年度报告报送，并通知各依托单位。") % {"year": year}
                )
                return redirect("assessments:round", year=year)
            if what == "evaluations":
                triennial.evaluation_round_open(actor=request.user, year=year)
                messages.success(request, _("已开启%(year)d年三年评估。") % {"year": year})
                return redirect("assessments:evaluations", year=year)
            raise Http404
        except (TransitionRefused, PermissionRefused) as exc:
            messages.error(request, exc.message)
    preview_year = _year(request.GET.get("report_year")) or today.year - 1
    # The owing list with the bases list's filters (their `year` is the application year; the year
    # of the reports is `report_year`), paged; the counts grouped in the database.
    filterset = BaseFilter(request.GET, queryset=selectors.owing_list(preview_year))
    owing = filterset.qs if filterset.is_valid() else selectors.owing_list(preview_year).none()
    # The counts and the bases due for evaluation cover every base: kept until one changes.
    counts = cached_figure(
        FIGURES_VERSION, f"owing:{preview_year}", lambda: selectors.owing_counts(preview_year)
    )
    by_state, by_grade = counts["by_state"], counts["by_grade"]
    due = cached_figure(
        FIGURES_VERSION,
        f"due-evaluation:{today.year}",
        lambda: selectors.bases_due_for_evaluation(today.year),
    )
    due_shown = dict(due[:DUE_SHOWN])
    due_bases = PilotBase.objects.select_related("host").only(*selectors.LIST_COLUMNS).in_bulk(due_shown)
    page_obj = _owing_page(owing, filterset, counts["total"], request.GET.get("page"))
    return render(
        request,
        "assessments/index.html",
        {
            "rounds": ReportingRound.objects.all(),
            "evaluation_rounds": EvaluationRound.objects.all(),
            "preview_year": preview_year,
            "round_opened": ReportingRound.objects.filter(year=preview_year).exists(),
            "filter": filterset,
            "page_obj": page_obj,
            "owing_rows": selectors.mark_reported(page_obj.object_list, preview_year),
            "owing_total": counts["total"],
            "owing_by_state": [(label, by_state[v]) for v, label in Status.choices if v in by_state],
            "graded_by_grade": [(label, by_grade.get(value, 0)) for value, label in Grade.choices],
            "due_for_evaluation": [(due_bases[pk], on) for pk, on in due_shown.items() if pk in due_bases],
            "due_total": len(due),
            "this_year": today.year,
        },
    )


def _owing_page(owing, filterset, total, number):
    """A page of the owing list. Unfiltered, its length is the cached total of the counts above
    (the same bases): the paginator does not count them again."""
    paginator = Paginator(owing, PAGE_SIZE)
    if filterset.is_valid() and not any(filterset.form.cleaned_data.values()):
        paginator.count = total
    return paginator.get_page(number)


@_bureau_page(require_GET)
def round_detail(request, year):
    report_round = get_object_or_404(ReportingRound, year=year)
    # A page of the round's reports; this year's and last year's grades of that page only, and the
    # counts by grade grouped in the database.
    # In the order of the bases' registration, read off the (round, base) index: sorting the round's
    # reports by the bases' names meant joining and sorting every one of them for each page.
    reports = report_round.reports.select_related("base__host").order_by("base_id")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [r.base_id for r in page.object_list]
    grades = {g.base_id: g for g in AnnualGrade.objects.filter(year=year, base_id__in=shown)}
    previous = {g.base_id: g for g in AnnualGrade.objects.filter(year=year - 1, base_id__in=shown)}
    rows = [(r, grades.get(r.base_id), previous.get(r.base_id)) for r in page.object_list]
    by_grade = dict(
        AnnualGrade.objects.filter(year=year).order_by().values_list("grade").annotate(n=Count("pk"))
    )
    return render(
        request,
        "assessments/round.html",
        {
            "round": report_round,
            "rows": rows,
            "page_obj": page,
            "grades": Grade.choices,
            "by_grade": [(label, by_grade.get(value, 0)) for value, label in Grade.choices],
            "today": timezone.localdate(),
        },
    )


def _graded(model, pk, year):
    """An annual report or an evaluation of the year's round, with its base and host; 404 for one of
    another round."""
    return get_object_or_404(model.objects.select_related("base__host", "round"), pk=pk, round__year=year)


def _grade_refused(request, record, graded, named, *, year, what, form_template, back_to, typed, checked=()):
    """The posted grade and note go to `record` (the grading service, its subject bound); None once
    recorded. Refused: the same form again on a page of its own, with what was typed (the fields
    `typed`, the boxes `checked`) and why it was refused (status 400). The round's pages list many
    bases over many pages, so the row would be hard to find again, and a redirect would lose the note.
    `graded` is the annual report or the evaluation, `named` as the form's template knows it."""
    try:
        record(grade=request.POST.get("grade", ""), note=posted_text(request, "note"))
    except (TransitionRefused, PermissionRefused) as exc:
        message = exc.message
    else:
        return None
    values = {name: request.POST.get(name, "") for name in typed}
    values.update({name: request.POST.get(name) == "on" for name in checked})
    return render(
        request,
        "assessments/refused.html",
        {
            "base": graded.base,
            "what": what,
            "form_template": form_template,
            "back_url": reverse(back_to, args=[year]),
            "back_label": str(graded.round),
            "errors": [message],
            named: graded,
            "year": year,
            "grades": Grade.choices,
            "values": values,
        },
        status=400,
    )


@_bureau_page(require_POST)
def grade(request, year, report_id):
    report = _graded(AnnualReport, report_id, year)
    refused = _grade_refused(
        request,
        partial(
            services.grade_record,
            actor=request.user,
            report=report,
            score=request.POST.get("score"),
            provincial_candidate=request.POST.get("provincial_candidate") == "on",
        ),
        report,
        "report",
        year=year,
        what=_("年度考核结果"),
        form_template="assessments/_grade_form.html",
        back_to="assessments:round",
        typed=("grade", "score", "note"),
        checked=("provincial_candidate",),
    )
    if refused:
        return refused
    if services.publication_would_revoke(report.base, year):
        messages.warning(
            request,
            _("“%(name)s”连续两年考核不合格：发布%(year)d年度考核结果时将撤销其资格（第十六条）。")
            % {"name": report.base.name, "year": year},
        )
    else:
        messages.success(request, _("已记录“%(name)s”的考核结果。") % {"name": report.base.name})
    return redirect("assessments:round", year=year)


@_bureau_page(require_POST)
def publish(request, year):
    report_round = get_object_or_404(ReportingRound, year=year)

    def said(published):
        yield _("已发布%(year)d年度考核结果并通知各依托单位。") % {"year": year}
        for base in published.revoked:
            yield _("“%(name)s”连续两年考核不合格，已撤销其资格（第十六条）。") % {"name": base.name}

    return act_and_return(
        request,
        lambda: grading.round_publish(actor=request.user, report_round=report_round),
        refused=(TransitionRefused, PermissionRefused),
        said=said,
        back=reverse("assessments:round", args=[year]),
    )


@_bureau_page(require_GET)
def grid(request):
    """Bases × years: every graded base and its grade per year."""
    years = sorted(ReportingRound.objects.values_list("year", flat=True))[-8:]
    cells = defaultdict(dict)
    for base_id, year, grade_value in AnnualGrade.objects.filter(year__in=years).values_list(
        "base_id", "year", "grade"
    ):
        cells[base_id][year] = Grade(grade_value).label
    bases = PilotBase.objects.filter(pk__in=cells).select_related("host").order_by("name")
    page = Paginator(bases, 50).get_page(request.GET.get("page"))
    rows = [(base, [cells[base.pk].get(year, "") for year in years]) for base in page.object_list]
    return render(request, "assessments/grid.html", {"years": years, "rows": rows, "page_obj": page})


@_bureau_page(require_GET)
def evaluations(request, year):
    """The round's bases, each with its self-evaluation, meeting review, site inspection and panel
    score, and what is still missing before it may be graded (Art. 17)."""
    evaluation_round = get_object_or_404(EvaluationRound, year=year)
    # A page of the round's evaluations; meeting reviews, inspections and panel scores of that page only.
    page = Paginator(
        evaluation_round.evaluations.select_related("base__host", "meeting__panel")
        .prefetch_related("meeting__attachments")
        .order_by("due_on", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    items = list(page.object_list)
    checklists = triennial.evaluation_checklists(evaluation_round, items)
    scores = review_records.evaluation_panel_scores([e.base_id for e in items], evaluation_round.opened_at)
    rows = []
    for e in items:
        meeting = getattr(e, "meeting", None)
        inspection, missing = checklists[e.pk]
        rows.append(
            {
                "evaluation": e,
                "meeting": meeting,
                "minutes": meeting.minutes if meeting else None,
                "inspection": inspection,
                "score": scores.get(e.base_id),
                "missing": missing,
            }
        )
    return render(
        request,
        "assessments/evaluations.html",
        {"round": evaluation_round, "rows": rows, "grades": Grade.choices, "page_obj": page},
    )


@_bureau_page(require_http_methods(["GET", "POST"]))
def evaluation_meeting(request, year, evaluation_id):
    """Record the meeting review of a base's evaluation: panel, date, opinion, minutes (PDF)."""
    evaluation = _graded(Evaluation, evaluation_id, year)
    existing = EvaluationMeeting.objects.filter(evaluation=evaluation).first()
    panels = triennial.evaluation_panels(evaluation)
    if request.method == "POST":
        form = EvaluationMeetingForm(request.POST, request.FILES, panels=panels)
    else:
        form = EvaluationMeetingForm(instance=existing, panels=panels)
    answer = form_to_service(
        request,
        form,
        lambda data: triennial.evaluation_meeting_record(
            actor=request.user,
            evaluation=evaluation,
            panel=data["panel"],
            held_on=data["held_on"],
            opinion=data["opinion"],
            minutes=data["minutes"],
        ),
        refused=(TransitionRefused, PermissionRefused),  # ApplicationInvalid too
        done=lambda _meeting: (
            _("已记录“%(name)s”的会议评审。") % {"name": evaluation.base.name},
            reverse("assessments:evaluations", args=[year]),
        ),
        files_lost=_("所选会议纪要未保存，请在修改后重新选择文件。"),
    )
    return answer or render(
        request,
        "assessments/evaluation_meeting.html",
        {"evaluation": evaluation, "form": form, "existing": existing, "has_panels": panels.exists()},
    )


@_bureau_page(require_POST)
def evaluation_grade(request, year, evaluation_id):
    evaluation = _graded(Evaluation, evaluation_id, year)
    refused = _grade_refused(
        request,
        partial(services.evaluation_grade, actor=request.user, evaluation=evaluation),
        evaluation,
        "evaluation",
        year=year,
        what=_("三年评估结果"),
        form_template="assessments/_evaluation_grade_form.html",
        back_to="assessments:evaluations",
        typed=("grade", "note"),
    )
    if refused:
        return refused
    messages.success(request, _("已记录“%(name)s”的评估结果。") % {"name": evaluation.base.name})
    return redirect("assessments:evaluations", year=year)


@_bureau_page(require_http_methods(["GET", "POST"]))
def grade_sheet(request, year, report_id):
    """Grade one base on the annual score sheet (criteria editable by the bureau as a template)."""
    report = _graded(AnnualReport, report_id, year)
    template = grading.annual_template()
    existing = AnnualGrade.objects.filter(base=report.base, year=year).first()
    criteria = list(template.criteria.all()) if template else []
    typed = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
    if request.method == "POST":
        try:
            grading.grade_record(
                actor=request.user,
                report=report,
                grade=request.POST.get("grade", ""),
                note=posted_text(request, "note"),
                provincial_candidate=request.POST.get("provincial_candidate") == "on",
                sheet=typed,
            )
        except (TransitionRefused, PermissionRefused) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录“%(name)s”的考核结果。") % {"name": report.base.name})
            return redirect("assessments:round", year=year)
    elif existing and existing.sheet:
        scores = {name: value for name, value, *_rest in existing.sheet}
        typed = {c.pk: scores.get(c.name, "") for c in criteria}
    return render(
        request,
        "assessments/sheet.html",
        {
            "report": report,
            "template": template,
            "rows": [(c, typed.get(c.pk, "")) for c in criteria],
            "grades": Grade.choices,
            "existing": existing,
            "posted": request.POST,
        },
    )


@_bureau_page(require_GET)
def grid_export(request):
    """Bases × years of annual grades as Excel."""
    years = sorted(ReportingRound.objects.values_list("year", flat=True))
    cells = defaultdict(dict)
    for base_id, year, grade_value in AnnualGrade.objects.values_list("base_id", "year", "grade"):
        cells[base_id][year] = str(Grade(grade_value).label)
    bases = PilotBase.objects.filter(pk__in=cells).select_related("host").order_by("name")
    columns = [Column(_("基地名称"), 34), Column(_("依托单位"), 30), *(Column(str(y), 10) for y in years)]
    rows = ([b.name, b.host.name, *(cells[b.pk].get(y, "") for y in years)] for b in bases.iterator())
    return excel_response("历年考核结果", _("历年考核结果"), columns, rows)
