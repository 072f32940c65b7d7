"""The documents the portal issues about a base and its reviews (SPEC §5), as PDFs.

Each kind says what it is about (its subject), whether it is one of the bureau's own documents
(GB/T 9704-2012 layout with a document number 忻科字〔YYYY〕N号, templates/pdf/official.html) or a
form (templates/pdf/form.html), when it may be issued, and its content. The content is always the
official Chinese wording; the PDF is rendered by portal.documents.pdf.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualGrade, ReportingRound
from bases.completeness import section_statuses
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.forms import SECTION_FIELDS
from bases.models import PilotBase, Status, TaskBook
from portal.accounts.models import User
from portal.documents.pdf import render_pdf
from portal.documents.services import document_number_allocate, document_store
from reviews.models import Panel, PublicNotice


def date_cn(day: date) -> str:
    """The date as official documents write it: 2026年11月29日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    subject: type
    official: bool  # the bureau's numbered document, else a form
    problem: Callable  # subject -> why it cannot be issued now, or None
    content: Callable  # subject -> template context
    base_of: Callable = lambda subject: subject if isinstance(subject, PilotBase) else None


# --- content ---------------------------------------------------------------------------------------
def _approval(base: PilotBase) -> dict:
    decision = getattr(base, "meeting_decision", None)
    meeting = (
        f"（{decision.meeting.held_on:%Y-%m-%d}，纪要{decision.meeting.minutes_no}）" if decision else ""
    )
    deadline = base.construction_deadline
    period = (
        f"建设期自批准之日起不超过2年（{base.approved_on:%Y-%m-%d}至{deadline:%Y-%m-%d}）。"
        if deadline
        else ("建设期自批准之日起不超过2年。")
    )
    return {
        "title": f"关于同意{base.name}立项建设的通知",
        "addressee": f"{base.host.name}，{base.supervising_unit.name}",
        "paragraphs": [
            "根据《市中试基地建设与运行管理办法》（忻科规〔2024〕2号）第八条规定，经依托单位申请、归口管理单位推荐、"
            f"市科技局初审、专家评审和社会公示，并经局党组会议研究{meeting}，同意{base.name}立项建设。",
            "请依托单位依据本通知填报《市中试基地建设计划任务书》，中试基地名称、依托单位、研究内容须与申请书一致，"
            f"经归口管理单位审核后报市科技局。{period}",
            "如有特殊原因2年内不能完成建设任务的，可在建设期满前申请延期，经市科技局批准后最多延长1年。",
        ],
        "date_on": base.approved_on,
    }


def _recognition(base: PilotBase) -> dict:
    award = getattr(base, "award", None)
    paragraphs = [
        f"{base.name}（依托单位：{base.host.name}）已按建设计划任务书完成建设任务，经市科技局组织专家验收，"
        f"验收通过，认定为忻州市中试基地，列入市中试基地序列，认定日期为{date_cn(base.recognized_on)}。",
    ]
    if award:
        paragraphs.append(
            f"依据《市中试基地建设与运行管理办法》第九条，对该基地给予奖励资助{award.amount:,.2f}元，"
            "专项经费单独核算、专款专用，主要用于基地的建设、研发、合作交流等方面。"
        )
    paragraphs.append(
        "请依托单位加强运行管理，按要求每年报送年度总结报告和工作计划，接受年度考核和三年评估。"
    )
    return {
        "title": f"关于认定{base.name}为市中试基地的通知",
        "addressee": f"{base.host.name}，{base.supervising_unit.name}",
        "paragraphs": paragraphs,
        "date_on": base.recognized_on,
    }


def _revocation(base: PilotBase) -> dict:
    return {
        "title": f"关于撤销{base.name}市中试基地资格的决定",
        "addressee": f"{base.host.name}，{base.supervising_unit.name}",
        "paragraphs": [
            f"依据《市中试基地建设与运行管理办法》{base.revocation_article}规定，因{base.get_revocation_reason_display()}，"
            f"市科技局决定自{date_cn(base.revoked_on)}起撤销{base.name}的市中试基地资格，移出市中试基地序列。",
            *([base.revocation_note] if base.revocation_note else []),
        ],
        "date_on": base.revoked_on,
    }


def _grading(report_round: ReportingRound) -> dict:
    grades = (
        AnnualGrade.objects.filter(year=report_round.year).select_related("base__host").order_by("base__name")
    )
    return {
        "title": f"关于{report_round.year}年度市中试基地考核结果的通报",
        "addressee": "各县（市、区）工信和科技局，各有关单位",
        "paragraphs": [
            f"根据《市中试基地建设与运行管理办法》第十五条、第十六条，市科技局对{report_round.year}年度市中试基地"
            "进行了年度考核，现将考核结果通报如下。连续两年考核不合格的，撤销中试基地资格。",
        ],
        "table": {
            "head": ["序号", "基地名称", "依托单位", "考核结果"],
            "rows": [
                [
                    i,
                    g.base.name,
                    g.base.host.name,
                    g.get_grade_display() + ("（未报送）" if g.non_submission else ""),
                ]
                for i, g in enumerate(grades, 1)
            ],
        },
        "date_on": (report_round.published_at and timezone.localdate(report_round.published_at))
        or timezone.localdate(),
    }


def _notice(notice: PublicNotice) -> dict:
    entries = notice.entries.select_related("base__host").order_by("pk")
    return {
        "title": notice.title,
        "addressee": "",
        "paragraphs": [
            notice.body,
            f"公示期：{date_cn(notice.starts_on)}至{date_cn(notice.ends_on)}（{notice.working_days}个工作日）。"
            + (f"联系方式：{notice.contact}。" if notice.contact else ""),
        ],
        "table": {
            "head": ["序号", "基地名称", "依托单位", "研发方向"],
            "rows": [
                [i, e.base.name, e.base.host.name, e.base.rd_direction] for i, e in enumerate(entries, 1)
            ],
        },
        "date_on": notice.starts_on,
    }


def _application(base: PilotBase) -> dict:
    sections = []
    for status in section_statuses(base):
        key = status.section.key
        items = [(PilotBase._meta.get_field(n).verbose_name, _value(base, n)) for n in SECTION_FIELDS[key]]
        sections.append({"title": f"{status.section.title}（{status.section.article}）", "items": items})
    sections.append(
        {
            "title": "第七条规定的基本条件",
            "table": {
                "head": ["基本条件", "承诺", "证明材料"],
                "rows": [
                    [
                        c.get_condition_display(),
                        "符合" if c.affirmed else "未承诺",
                        "、".join(a.original_name for a in c.evidence.all()) or "—",
                    ]
                    for c in base.conditions.all()
                ],
            },
        }
    )
    return {
        "title": "市中试基地建设申请书",
        "subtitle": f"{base.name} · {base.host.name}",
        "sections": sections,
    }


def _value(base, name):
    getter = getattr(base, f"get_{name}_display", None)
    value = getter() if getter else getattr(base, name)
    return "" if value is None else str(value)


def _task_book(base: PilotBase) -> dict:
    book = base.taskbooks.get()
    facts = [("基地名称", base.name), ("依托单位", base.host.name), ("研究方向", base.rd_direction)]
    content = [
        (TaskBook._meta.get_field(n).verbose_name, getattr(book, n))
        for n in (
            "goals",
            "construction_content",
            "staffing",
            "equipment_plan",
            "expected_outputs",
            "other_funding",
        )
    ]
    return {
        "title": "市中试基地建设计划任务书",
        "subtitle": f"{base.name} · {book.get_state_display()}",
        "sections": [
            {"title": "基本信息（与申请书一致，第八条第（四）项）", "items": facts},
            {"title": "建设计划", "items": content},
            {
                "title": "年度建设任务与自筹资金预算",
                "table": {
                    "head": ["年度", "年度建设任务", "自筹资金（万元）"],
                    "rows": [[m.year, m.content, m.self_raised_wan] for m in book.milestones.all()],
                },
            },
        ],
    }


def _score_summary(panel: Panel) -> dict:
    from reviews.selectors import panel_report

    report = panel_report(panel)
    sections = []
    for entry_view in report.entries:
        rows = [
            [
                m.expert.user.full_name,
                sheet.total if sheet and sheet.is_submitted else "未提交",
                sheet.get_recommendation_display() if sheet and sheet.is_submitted else "—",
            ]
            for m, sheet, _flags in entry_view.rows
        ]
        result = entry_view.result
        sections.append(
            {
                "title": f"{entry_view.entry.base.name}（{entry_view.entry.base.host.name}）",
                "items": [
                    ("专家组得分", result.score if result.score is not None else "—"),
                    ("结论", entry_view.entry.get_outcome_display() or "尚未形成结论"),
                ],
                "table": {"head": ["专家", "总分", "评审建议"], "rows": rows},
            }
        )
    return {
        "title": "专家评审评分汇总表",
        "subtitle": f"{panel.title} · {panel.get_purpose_display()} · 评分模板：{panel.template_name}",
        "sections": sections,
    }


def _recommendation(base: PilotBase) -> dict:
    """The supervising unit's recommendation letter (推荐函), a form it prints, stamps and uploads."""
    return {
        "title": "推荐函",
        "subtitle": f"{base.supervising_unit.name} → 忻州市科学技术局",
        "sections": [
            {
                "title": "推荐意见",
                "items": [
                    ("推荐对象", base.name),
                    ("依托单位", f"{base.host.name}（{base.host.uscc}）"),
                    ("研发方向", base.rd_direction),
                    (
                        "意见",
                        f"经审核，{base.host.name}申报的{base.name}申请材料真实、完整，符合《市中试基地建设与运行"
                        "管理办法》第七条规定的基本条件，同意推荐（第八条第（一）项）。",
                    ),
                    ("推荐单位（盖章）", base.supervising_unit.name),
                ],
            }
        ],
    }


def _acceptance_opinion(base: PilotBase) -> dict:
    """The acceptance panel's opinion (验收意见) from its conclusion."""
    from reviews.models import PanelBase

    entry = (
        PanelBase.objects.filter(base=base, panel__purpose="acceptance")
        .exclude(outcome="")
        .select_related("panel")
        .order_by("-panel__concluded_at")
        .first()
    )
    return {
        "title": "中试基地验收意见",
        "subtitle": f"{base.name} · {base.host.name}",
        "sections": [
            {
                "title": "验收结论",
                "items": [
                    ("验收专家组", entry.panel.title),
                    ("专家组得分", entry.score),
                    ("结论", entry.get_outcome_display()),
                    ("验收意见", entry.conclusion),
                ],
            }
        ],
    }


def _has_task_book(base: PilotBase) -> bool:
    from bases.selectors import filings_of

    return any(kind == "task-book" for kind, _filing in filings_of(base))


def _has_acceptance_conclusion(base: PilotBase):
    from reviews.selectors import panel_entries_of

    concluded = any(e.panel.purpose == "acceptance" and e.outcome for e in panel_entries_of(base))
    return None if concluded else gettext("该基地尚无验收结论。")


def _needs(status):
    return lambda base: None if base.status == status else gettext("该基地当前状态不能出具此文件。")


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind("application", _("建设申请书"), PilotBase, False, lambda b: None, _application),
        Kind(
            "approval_notice",
            _("立项建设通知"),
            PilotBase,
            True,
            lambda b: (
                None
                if b.approved_on and b.status not in (Status.REJECTED, Status.WITHDRAWN)
                else gettext("该基地尚未批准立项。")
            ),
            _approval,
        ),
        Kind(
            "task_book",
            _("建设计划任务书"),
            PilotBase,
            False,
            lambda b: None if _has_task_book(b) else gettext("该基地尚未填报建设计划任务书。"),
            _task_book,
        ),
        Kind(
            "recognition_notice",
            _("验收认定通知"),
            PilotBase,
            True,
            lambda b: None if b.recognized_on else gettext("该基地尚未通过验收。"),
            _recognition,
        ),
        Kind("revocation_decision", _("撤销决定"), PilotBase, True, _needs(Status.REVOKED), _revocation),
        Kind(
            "recommendation_letter",
            _("推荐函"),
            PilotBase,
            False,
            lambda b: (
                None
                if b.status not in (Status.DRAFT, Status.RETURNED)
                else gettext("申请提交后才能生成推荐函。")
            ),
            _recommendation,
        ),
        Kind(
            "acceptance_opinion",
            _("验收意见"),
            PilotBase,
            False,
            _has_acceptance_conclusion,
            _acceptance_opinion,
        ),
        Kind("notice", _("公示"), PublicNotice, True, lambda n: None, _notice, lambda n: None),
        Kind(
            "grading_results",
            _("年度考核结果通报"),
            ReportingRound,
            True,
            lambda r: None if r.published_at else gettext("考核结果发布后才能出具通报。"),
            _grading,
            lambda r: None,
        ),
        Kind(
            "score_summary", _("专家评分汇总表"), Panel, False, lambda p: None, _score_summary, lambda p: None
        ),
    ]
}


def render(kind: Kind, subject, *, number: str = "", draft: bool = False) -> tuple[str, bytes]:
    context = kind.content(subject)
    today = context.get("date_on") or timezone.localdate()
    context.update(
        number=number,
        draft=draft,
        year=today.year,
        date_cn=date_cn(today),
        generated=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    )
    template = "pdf/official.html" if kind.official else "pdf/form.html"
    return context["title"], render_pdf(template, context)


def _check(actor: User, kind: Kind) -> None:
    if kind.official and not actor.has_perm("bases.review_pilotbase"):
        raise PermissionRefused(gettext("只有市科技局可以出具正式文件。"))


@transaction.atomic
def document_issue(*, actor: User, kind_key: str, subject):
    """Issue a document: allocate its number (the bureau's documents), render, store; the same
    document downloads again byte-identical."""
    kind = KINDS[kind_key]
    _check(actor, kind)
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    number, year, sequence = "", None, None
    if kind.official:
        year = timezone.localdate().year
        number, sequence = document_number_allocate(year=year)
    title, pdf = render(kind, subject, number=number)
    return document_store(
        kind=kind.key,
        title=title,
        subject=subject,
        base=kind.base_of(subject),
        pdf=pdf,
        issued_by=actor,
        number=number,
        year=year,
        sequence=sequence,
    )


def document_preview(*, actor: User, kind_key: str, subject) -> bytes:
    """A draft of the document (watermarked, no number), not stored."""
    kind = KINDS[kind_key]
    _check(actor, kind)
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    return render(kind, subject, draft=True)[1]


# --- batches (issue [G]): one document per eligible subject, in the worker ----------------------------
BATCH_CANDIDATES = {
    "approval_notice": lambda: PilotBase.objects.filter(approved_on__isnull=False).exclude(
        status__in=[Status.REJECTED, Status.WITHDRAWN]
    ),
    "recognition_notice": lambda: PilotBase.objects.filter(recognized_on__isnull=False),
    "revocation_decision": lambda: PilotBase.objects.filter(status=Status.REVOKED),
}


def issued_of_kind(kind_key: str):
    """The issued documents of a kind (their object_id is the subject's pk)."""
    from django.contrib.contenttypes.models import ContentType

    from portal.documents.models import IssuedDocument

    subject = KINDS[kind_key].subject
    return IssuedDocument.objects.filter(
        kind=kind_key, content_type=ContentType.objects.get_for_model(subject)
    )


def batch_subject_ids(kind_key: str) -> list[int]:
    """The subjects of a kind that may be issued and have not been yet."""
    kind = KINDS[kind_key]
    issued = issued_of_kind(kind_key).values("object_id")
    candidates = BATCH_CANDIDATES[kind_key]().exclude(pk__in=issued).order_by("pk")
    return [subject.pk for subject in candidates if kind.problem(subject) is None]


def document_batch_start(*, actor: User, kind_key: str):
    from portal.documents.jobs import job_start

    if kind_key not in BATCH_CANDIDATES:
        raise TransitionRefused(gettext("该类文件不能批量出具。"))
    _check(actor, KINDS[kind_key])
    ids = batch_subject_ids(kind_key)
    if not ids:
        raise TransitionRefused(gettext("没有需要出具的文件。"))
    return job_start(
        kind="document_batch",
        title=gettext("批量出具：%(kind)s（%(n)d 份）") % {"kind": KINDS[kind_key].label, "n": len(ids)},
        params={"kind": kind_key, "ids": ids},
        actor=actor,
        total=len(ids),
    )


def run_batch(job) -> None:
    """The worker's side: issue each document in its own transaction, saving progress."""
    from portal.documents.jobs import progress

    kind = KINDS[job.params["kind"]]
    errors = []
    for done, pk in enumerate(job.params["ids"], start=1):
        try:
            with transaction.atomic():
                # Locked, then checked: a batch run again (its worker died mid-way, the message came
                # back) skips the subjects already issued, so no document gets a second number.
                subject = kind.subject.objects.select_for_update().filter(pk=pk).first()
                if subject is not None and not issued_of_kind(kind.key).filter(object_id=pk).exists():
                    document_issue(actor=job.requested_by, kind_key=kind.key, subject=subject)
        except (TransitionRefused, PermissionRefused) as exc:
            errors.append(f"{subject}: {exc.message}")
        progress(job, done)
    if errors:
        type(job).objects.filter(pk=job.pk).update(errors="\n".join(errors))
