"""The documents the portal issues about a base and its reviews, as PDFs.

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
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import PilotBase, Status
from portal.accounts.models import User
from portal.documents.pdf import render_pdf
from portal.documents.services import document_number_allocate, document_store
from portal.text import capital_yuan, wan, yuan
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
# Official documents: paragraphs of the body, the attachments (附件, each a titled table on a page of
# its own after the signature, announced by the 附件说明), and the 版记's 抄送. Forms: sections of
# `fields` (label, value) and/or a `table`, in the order of the official form; `empty` says what an
# empty section prints.
MEASURES = "《市中试基地建设与运行管理办法》（忻科规〔2024〕2号）"
COPY_TO_BUREAU = "市科技局办公室，市科技局相关科室"


def _addressees(base: PilotBase) -> str:
    return f"{base.host.name}，{base.supervising_unit.name}"


def _approval(base: PilotBase) -> dict:
    decision = getattr(base, "meeting_decision", None)
    meeting = (
        f"（{date_cn(decision.meeting.held_on)}，会议纪要{decision.meeting.minutes_no}）" if decision else ""
    )
    deadline = base.construction_deadline
    period = (
        f"建设期自批准之日起不超过2年（{date_cn(base.approved_on)}至{date_cn(deadline)}）。"
        if deadline
        else "建设期自批准之日起不超过2年。"
    )
    return {
        "title": f"关于同意{base.name}立项建设的通知",
        "addressee": _addressees(base),
        "paragraphs": [
            f"根据{MEASURES}第八条规定，经依托单位申请、归口管理单位推荐、"
            f"市科技局初审、专家评审和社会公示，并经局党组会议研究{meeting}，同意{base.name}立项建设。",
            "请依托单位依据本通知填报《市中试基地建设计划任务书》，中试基地名称、依托单位、研究内容须与申请书一致，"
            f"经归口管理单位审核后报市科技局。{period}",
            "如有特殊原因2年内不能完成建设任务的，可在建设期满前申请延期，经市科技局批准后最多延长1年。",
            "特此通知。",
        ],
        "copy_to": COPY_TO_BUREAU,
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
            f"依据{MEASURES}第九条，对该基地给予奖励资助{yuan(award.amount)}（大写：{capital_yuan(award.amount)}），"
            "专项经费单独核算、专款专用，主要用于基地的建设、研发、合作交流等方面。"
        )
    paragraphs.append(
        "请依托单位加强运行管理，按要求每年报送年度总结报告和工作计划，接受年度考核和三年评估。"
    )
    paragraphs.append("特此通知。")
    return {
        "title": f"关于认定{base.name}为市中试基地的通知",
        "addressee": _addressees(base),
        "paragraphs": paragraphs,
        "copy_to": COPY_TO_BUREAU,
        "date_on": base.recognized_on,
    }


def _revocation(base: PilotBase) -> dict:
    return {
        "title": f"关于撤销{base.name}市中试基地资格的决定",
        "addressee": _addressees(base),
        "paragraphs": [
            f"依据{MEASURES}{base.revocation_article}规定，因{base.get_revocation_reason_display()}，"
            f"市科技局决定自{date_cn(base.revoked_on)}起撤销{base.name}的市中试基地资格，移出市中试基地序列。",
            *([base.revocation_note] if base.revocation_note else []),
            "特此决定。",
        ],
        "copy_to": COPY_TO_BUREAU,
        "date_on": base.revoked_on,
    }


def _grading(report_round: ReportingRound) -> dict:
    grades = (
        AnnualGrade.objects.filter(year=report_round.year).select_related("base__host").order_by("base__name")
    )
    table_title = f"{report_round.year}年度市中试基地考核结果"
    return {
        "title": f"关于{report_round.year}年度市中试基地考核结果的通报",
        "addressee": "各县（市、区）工信和科技局，各有关单位",
        "paragraphs": [
            f"根据{MEASURES}第十五条、第十六条，市科技局对{report_round.year}年度市中试基地"
            "进行了年度考核，现将考核结果通报如下。连续两年考核不合格的，撤销中试基地资格。",
            "特此通报。",
        ],
        "attachments": [
            {
                "title": table_title,
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
                "empty": "本年度无考核结果。",
            }
        ],
        "copy_to": COPY_TO_BUREAU,
        "date_on": (report_round.published_at and timezone.localdate(report_round.published_at))
        or timezone.localdate(),
    }


def _paper_wording(text: str, notice: PublicNotice) -> str:
    """The notice's body is written for the web page ("通过本页面"); on paper it names the portal."""
    from django.conf import settings
    from django.urls import reverse

    address = settings.PORTAL_BASE_URL.rstrip("/") + reverse("notices:detail", args=[notice.pk])
    return text.replace("通过本页面", f"通过忻州市中试基地管理平台（{address}）")


def _notice(notice: PublicNotice) -> dict:
    entries = notice.entries.select_related("base__host").order_by("pk")
    year = notice.starts_on.year
    return {
        "title": notice.title,
        "addressee": "",
        "paragraphs": [
            _paper_wording(notice.body, notice),
            f"公示期：{date_cn(notice.starts_on)}至{date_cn(notice.ends_on)}（{notice.working_days}个工作日）。"
            + (f"联系方式：{notice.contact}。" if notice.contact else ""),
            "特此公示。",
        ],
        "attachments": [
            {
                "title": f"{year}年度拟立项建设市中试基地名单",
                "table": {
                    "head": ["序号", "基地名称", "依托单位", "研发方向"],
                    "rows": [
                        [i, e.base.name, e.base.host.name, e.base.rd_direction]
                        for i, e in enumerate(entries, 1)
                    ],
                },
                "empty": "无。",
            }
        ],
        "copy_to": COPY_TO_BUREAU,
        "date_on": notice.starts_on,
    }


def _value(record, name):
    """A field of `record` as the form prints it: choices by label, 万元 amounts in one format."""
    getter = getattr(record, f"get_{name}_display", None)
    value = getter() if getter else getattr(record, name)
    if value in (None, ""):
        return ""
    if name.endswith("_wan"):
        return wan(value)
    if name.endswith("_m2"):
        return f"{value:,.2f} 平方米"
    if isinstance(value, date):
        return date_cn(value)
    return str(value)


def _label(record, name) -> str:
    """A field's label on the form; an amount prints its unit with the value (360万元)."""
    label = str(record._meta.get_field(name).verbose_name)
    return label.replace("（万元）", "") if name.endswith("_wan") else label


def _fields(record, names) -> list[tuple[str, str]]:
    return [(_label(record, n), _value(record, n)) for n in names]


def _table(model, rows, columns) -> dict:
    head = ["序号", *(str(model._meta.get_field(n).verbose_name) for n in columns)]
    head = [h.replace("（万元）", "") for h in head]
    return {"head": head, "rows": [[i, *(_value(r, n) for n in columns)] for i, r in enumerate(rows, 1)]}


def _application(base: PilotBase) -> dict:
    """The application form in the order of 《市中试基地建设申请书》: basic data, host, co-builders,
    backing units, team, papers and patents, equipment, plan, budget, commitments. Every field the
    application holds is printed; an empty section says so."""
    from bases.models import (
        CoBuilder,
        ConditionAffirmation,
        EquipmentItem,
        RepresentativePaper,
        TechnicalBacking,
    )

    host = base.host
    equipment = list(base.equipment.all())
    equipment_total = sum((e.value_wan or 0) for e in equipment)
    planned = base.planned_investment_wan
    conditions = list(base.conditions.prefetch_related("evidence"))
    return {
        "title": "市中试基地建设申请书",
        "subtitle": f"{base.name} · {host.name}",
        "cover": [
            ("基地名称", base.name),
            ("依托单位（盖章）", host.name),
            ("归口管理单位", base.supervising_unit.name),
            ("申报年度", str(base.application_year or "")),
            ("申请类型", base.get_kind_display()),
        ],
        "sections": [
            {
                "title": "一、基本情况（第三条、第十八条）",
                "fields": _fields(
                    base,
                    (
                        "name",
                        "rd_direction",
                        "kind",
                        "construction_mode",
                        "summary",
                        "contact_name",
                        "contact_phone",
                        "contact_email",
                    ),
                ),
            },
            {
                "title": "二、依托单位情况（第七条第（四）项）",
                "fields": [
                    ("单位名称", host.name),
                    ("统一社会信用代码", host.uscc or ""),
                    ("所在区县", host.get_region_display()),
                    ("通讯地址", host.address),
                    ("归口管理单位", base.supervising_unit.name),
                    *_fields(
                        base,
                        (
                            "total_assets_wan",
                            "net_assets_wan",
                            "revenue_last_year_wan",
                            "rd_spend_last_year_wan",
                            "funding_capacity",
                        ),
                    ),
                ],
            },
            {
                "title": "三、共建单位（第三条）",
                "table": _table(CoBuilder, list(base.co_builders.all()), ("name", "uscc", "role")),
                "empty": "无共建单位（单独建设）。",
            },
            {
                "title": "四、技术依托单位（第七条第（二）项）",
                "table": _table(
                    TechnicalBacking, list(base.technical_backings.all()), ("name", "kind", "cooperation")
                ),
                "empty": "未填写技术依托单位。",
            },
            {
                "title": "五、基地负责人与团队（第七条第（五）项、第（六）项）",
                "fields": _fields(
                    base,
                    (
                        "director_name",
                        "director_title",
                        "director_field",
                        "management_system",
                        "leadership",
                        "staff_total",
                        "staff_rd",
                        "staff_senior",
                        "skilled_workers",
                    ),
                ),
            },
            {
                "title": "六、代表性论文与专利等成果（第七条第（五）项）",
                "fields": _fields(base, ("director_achievements",)),
                "table": _table(
                    RepresentativePaper,
                    list(base.papers.all()),
                    ("title", "journal", "published_year", "author_rank"),
                ),
                "empty": "未填写代表性论文。",
            },
            {
                "title": "七、仪器设备与场地（第七条第（一）项）",
                "fields": _fields(
                    base,
                    (
                        "site_address",
                        "site_area_m2",
                        "equipment_value_wan",
                        "equipment_description",
                        "pilot_capability",
                    ),
                ),
                "table": _table(EquipmentItem, equipment, ("name", "model_spec", "quantity", "value_wan")),
                "empty": "未填写主要仪器设备。",
            },
            {
                "title": "八、核心技术与建设计划（第七条第（三）项）",
                "fields": _fields(base, ("core_technology", "industry_prospects", "upgrade_capability")),
            },
            {
                "title": "九、经费预算",
                "fields": [
                    ("计划建设投入", wan(planned) if planned is not None else ""),
                    (
                        "计划建设投入（大写）",
                        capital_yuan(planned * 10000) if planned is not None else "",
                    ),
                    ("所列主要仪器设备原值合计", wan(equipment_total)),
                ],
            },
            {
                "title": "十、基本条件承诺与证明材料（第七条）",
                "table": {
                    "head": [
                        str(ConditionAffirmation._meta.get_field("condition").verbose_name),
                        "承诺",
                        "情况说明",
                        "证明材料",
                    ],
                    "rows": [
                        [
                            c.get_condition_display(),
                            "承诺符合" if c.affirmed else "未承诺",
                            c.statement,
                            "、".join(a.original_name for a in c.evidence.all()),
                        ]
                        for c in conditions
                    ],
                },
                "empty": "尚未对第七条基本条件作出承诺。",
                "closing": (
                    "本单位承诺：以上填报内容及所附证明材料真实、准确、完整，如有虚假，愿承担相应责任。"
                ),
                "signatures": ["依托单位（盖章）", "法定代表人（签字）", "日期"],
            },
        ],
    }


def _task_book(base: PilotBase) -> dict:
    """The task book; its locked fields (Art. 8-4: name, host unit, research content) are printed
    from the same source as the application form, so they cannot differ."""
    book = base.taskbooks.get()
    from bases.models import Milestone

    milestones = list(book.milestones.all())
    return {
        "title": "市中试基地建设计划任务书",
        "subtitle": f"{base.name} · {book.get_state_display()}",
        "cover": [
            ("基地名称", base.name),
            ("依托单位（盖章）", base.host.name),
            ("归口管理单位", base.supervising_unit.name),
            ("批准立项日期", date_cn(base.approved_on) if base.approved_on else ""),
            ("建设期满日期", date_cn(base.construction_deadline) if base.construction_deadline else ""),
        ],
        "sections": [
            {
                "title": "一、基本信息（与申请书一致，第八条第（四）项）",
                "fields": [
                    *_fields(base, ("name",)),
                    ("依托单位", base.host.name),
                    *_fields(base, ("rd_direction", "core_technology")),
                ],
            },
            {
                "title": "二、建设计划",
                "fields": _fields(
                    book,
                    (
                        "goals",
                        "construction_content",
                        "staffing",
                        "equipment_plan",
                        "expected_outputs",
                        "other_funding",
                    ),
                ),
            },
            {
                "title": "三、年度建设任务与自筹资金预算",
                "table": _table(Milestone, milestones, ("year", "content", "self_raised_wan")),
                "empty": "未填写年度建设任务。",
                "fields": [
                    ("自筹资金合计", wan(sum((m.self_raised_wan for m in milestones), 0))),
                    (
                        "自筹资金合计（大写）",
                        capital_yuan(sum((m.self_raised_wan for m in milestones), 0) * 10000),
                    ),
                ],
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
                "fields": [
                    ("专家组得分", result.score if result.score is not None else "—"),
                    ("结论", entry_view.entry.get_outcome_display() or "尚未形成结论"),
                ],
                "table": {"head": ["专家", "总分", "评审建议"], "rows": rows},
                "empty": "尚无专家。",
            }
        )
    return {
        "title": "专家评审评分汇总表",
        "subtitle": f"{panel.title} · {panel.get_purpose_display()} · 评分模板：{panel.template_name}",
        "sections": sections or [{"title": "评审对象", "fields": [], "empty": "该专家组尚无评审对象。"}],
    }


def _recommendation(base: PilotBase) -> dict:
    """The supervising unit's recommendation letter (推荐函), a form it prints, stamps and uploads."""
    return {
        "title": "推荐函",
        "subtitle": f"{base.supervising_unit.name} → 忻州市科学技术局",
        "sections": [
            {
                "title": "推荐意见",
                "fields": [
                    ("推荐对象", base.name),
                    ("依托单位", f"{base.host.name}（{base.host.uscc}）"),
                    ("研发方向", base.rd_direction),
                    (
                        "意见",
                        f"经审核，{base.host.name}申报的{base.name}申请材料真实、完整，符合《市中试基地建设与运行"
                        "管理办法》第七条规定的基本条件，同意推荐（第八条第（一）项）。",
                    ),
                ],
                "signatures": [f"推荐单位（盖章）：{base.supervising_unit.name}", "日期"],
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
                "fields": [
                    ("验收专家组", entry.panel.title),
                    ("专家组得分", entry.score),
                    ("结论", entry.get_outcome_display()),
                    ("验收意见", entry.conclusion),
                ],
                "signatures": ["专家组组长（签字）", "日期"],
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


# Who may open an issued document of a kind that concerns no base: the public notice (公示) is
# published to everyone (Art. 8-3); the annual grading bulletin goes to every county and unit.
PUBLIC_KINDS = ("notice",)
SIGNED_IN_KINDS = ("grading_results",)


def render(
    kind: Kind, subject, *, number: str = "", draft: bool = False, code: str = "", void: str = ""
) -> tuple[str, bytes]:
    """The document as PDF: a draft (watermarked 草稿, no number, no code) or the issued text with its
    number and verification code (QR code and short code leading to the public verification page)."""
    context = kind.content(subject)
    day = context.get("date_on") or timezone.localdate()
    context.update(
        number=number,
        draft=draft,
        year=day.year,
        date_cn=date_cn(day),
        printed_cn=date_cn(timezone.localdate()),
        generated=date_cn(timezone.localdate()) + timezone.localtime().strftime(" %H:%M"),
    )
    if code:
        context.update(verification(code))
    template = "pdf/official.html" if kind.official else "pdf/form.html"
    return context["title"], render_pdf(template, context)


def verification(code: str) -> dict:
    """What a document prints to be verified: the short code, the public page's address and its QR
    code (an SVG data URI: segno draws it without an imaging library)."""
    import segno
    from django.conf import settings
    from django.urls import reverse

    from portal.documents.signing import is_development_key

    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify:code", args=[code])
    qr = segno.make(url, error="m")
    return {
        "code": f"{code[:5]}-{code[5:]}",
        "verify_url": url,
        "verify_home": settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify:home"),
        "qr": qr.svg_data_uri(border=0, dark="#000"),
        "dev_key": is_development_key(),
    }


def _check(actor: User, kind: Kind) -> None:
    if kind.official and not actor.has_perm("bases.review_pilotbase"):
        raise PermissionRefused(gettext("只有市科技局可以出具正式文件。"))


def issued_document_of(kind_key: str, subject):
    """The valid (not voided) issued document of this kind about this subject, or None."""
    return issued_of_kind(kind_key).filter(object_id=subject.pk, voided_at__isnull=True).first()


def _store(*, kind: Kind, subject, actor: User, replaces=None):
    """Number, render, sign and store one document. Runs in a savepoint: if the constraint of one
    valid document per subject and kind fires, the number allocated here is given back too."""
    from portal.documents.models import verification_code
    from portal.documents.signing import identity, sign_pdf

    number, year, sequence = "", None, None
    if kind.official:
        year = timezone.localdate().year
        number, sequence = document_number_allocate(year=year)
    code = verification_code()
    title, pdf = render(kind, subject, number=number, code=code)
    signing = identity()
    signed = sign_pdf(pdf, reason=f"{number or kind.label} {title}")
    return document_store(
        kind=kind.key,
        title=title,
        subject=subject,
        base=kind.base_of(subject),
        pdf=signed,
        issued_by=actor,
        number=number,
        year=year,
        sequence=sequence,
        code=code,
        signer=signing.subject,
        signed_with_dev_key=signing.is_development,
        replaces=replaces,
    )


@transaction.atomic
def document_issue(*, actor: User, kind_key: str, subject):
    """Issue a document once: allocate its number (the bureau's documents), render, sign, store.
    Issued already (pressed twice, or two requests at once) → the issued one, untouched, with
    `newly_issued` False. The subject's row is locked first, so a second request waits for the first
    and then finds its document; the database's one-valid-document constraint backs this up."""
    from django.db import IntegrityError

    kind = KINDS[kind_key]
    _check(actor, kind)
    subject = kind.subject.objects.select_for_update().get(pk=subject.pk)
    existing = issued_document_of(kind_key, subject)
    if existing is not None:
        existing.newly_issued = False
        return existing
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    try:
        with transaction.atomic():
            document = _store(kind=kind, subject=subject, actor=actor)
    except IntegrityError:
        existing = issued_document_of(kind_key, subject)
        if existing is None:
            raise
        existing.newly_issued = False
        return existing
    document.newly_issued = True
    return document


@transaction.atomic
def document_reissue(*, actor: User, document, reason: str):
    """A correction: void `document` (reason, who, when — it then shows 作废 wherever it is opened or
    verified) and issue its replacement with the next number, which points back at it. The voided
    one keeps its number, so the year's sequence stays gapless. Only the bureau corrects."""
    from portal.documents.models import IssuedDocument

    if not actor.has_perm("bases.review_pilotbase"):
        raise PermissionRefused(gettext("只有市科技局可以更正已出具的文件。"))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(gettext("请填写作废原因。"))
    kind = KINDS[document.kind]
    subject = kind.subject.objects.select_for_update().get(pk=document.object_id)
    old = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if old.voided_at is not None:
        raise TransitionRefused(gettext("该文件已作废，不能再次更正。"))
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    old.voided_at = timezone.now()
    old.voided_by = actor
    old.void_reason = reason[:2000]
    old.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return _store(kind=kind, subject=subject, actor=actor, replaces=old)


def document_preview(*, actor: User, kind_key: str, subject) -> bytes:
    """A draft of the document (watermarked, no number), not stored."""
    kind = KINDS[kind_key]
    _check(actor, kind)
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    return render(kind, subject, draft=True)[1]


# --- batches: one document per eligible subject, in the worker ----------------------------
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
    issued = issued_of_kind(kind_key).filter(voided_at__isnull=True).values("object_id")
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


def documents_concerning(base: PilotBase):
    """Every issued document about a base, for its page: its own, the public notices (公示) that
    listed it and the annual grading bulletins (通报) of the years it was graded; voided ones too,
    marked so."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from portal.documents.models import IssuedDocument

    notices = PublicNotice.objects.filter(entries__base=base).values("pk")
    rounds = ReportingRound.objects.filter(year__in=AnnualGrade.objects.filter(base=base).values("year"))
    return (
        IssuedDocument.objects.filter(
            Q(base=base)
            | Q(
                kind="notice",
                content_type=ContentType.objects.get_for_model(PublicNotice),
                object_id__in=notices,
            )
            | Q(
                kind="grading_results",
                content_type=ContentType.objects.get_for_model(ReportingRound),
                object_id__in=rounds.values("pk"),
            )
        )
        .select_related("issued_by")
        .order_by("-issued_at", "-pk")
    )
