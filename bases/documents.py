"""The documents the portal issues about a base: the application form, the task book, the
recommendation letter, and the bureau's approval, recognition and revocation documents.

What each kind holds is said in portal.documents.issuing.Kind; the kinds are registered there from
AppConfig.ready() (bases.registrations), as are the reviews' and the assessments' own.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bases.completeness import SECTION_FIELDS
from bases.forms import TASK_BOOK_PLAN
from bases.models import (
    CoBuilder,
    ConditionAffirmation,
    EquipmentItem,
    Milestone,
    PilotBase,
    RepresentativePaper,
    Status,
    TechnicalBacking,
)
from bases.selectors.filings import filings_of
from portal.documents.content import date_cn, fields_of, table_of
from portal.documents.issuing import KINDS, Kind
from portal.documents.models import IssuedDocument
from portal.text import capital_yuan, wan, yuan

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


def _application(base: PilotBase) -> dict:
    """The application form in the order of 《市中试基地建设申请书》: basic data, host, co-builders,
    backing units, team, papers and patents, equipment, plan, budget, commitments. Every field the
    application holds is printed; an empty section says so."""
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
                "fields": fields_of(
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
                    *fields_of(
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
                "table": table_of(CoBuilder, list(base.co_builders.all()), ("name", "uscc", "role")),
                "empty": "无共建单位（单独建设）。",
            },
            {
                "title": "四、技术依托单位（第七条第（二）项）",
                "table": table_of(
                    TechnicalBacking, list(base.technical_backings.all()), ("name", "kind", "cooperation")
                ),
                "empty": "未填写技术依托单位。",
            },
            {
                "title": "五、基地负责人与团队（第七条第（五）项、第（六）项）",
                "fields": fields_of(
                    base, ("director_name", "director_title", "director_field", *SECTION_FIELDS["management"])
                ),
            },
            {
                "title": "六、代表性论文与专利等成果（第七条第（五）项）",
                "fields": fields_of(base, ("director_achievements",)),
                "table": table_of(
                    RepresentativePaper,
                    list(base.papers.all()),
                    ("title", "journal", "published_year", "author_rank"),
                ),
                "empty": "未填写代表性论文。",
            },
            {
                "title": "七、仪器设备与场地（第七条第（一）项）",
                "fields": fields_of(
                    base,
                    (
                        "site_address",
                        "site_area_m2",
                        "equipment_value_wan",
                        "equipment_description",
                        "pilot_capability",
                    ),
                ),
                "table": table_of(EquipmentItem, equipment, ("name", "model_spec", "quantity", "value_wan")),
                "empty": "未填写主要仪器设备。",
            },
            {
                "title": "八、核心技术与建设计划（第七条第（三）项）",
                "fields": fields_of(base, ("core_technology", "industry_prospects", "upgrade_capability")),
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
                    *fields_of(base, ("name",)),
                    ("依托单位", base.host.name),
                    *fields_of(base, ("rd_direction", "core_technology")),
                ],
            },
            {
                "title": "二、建设计划",
                "fields": fields_of(book, TASK_BOOK_PLAN),
            },
            {
                "title": "三、年度建设任务与自筹资金预算",
                "table": table_of(Milestone, milestones, ("year", "content", "self_raised_wan")),
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


def _has_task_book(base: PilotBase) -> bool:
    return any(kind == "task-book" for kind, _filing in filings_of(base))


def _needs(status):
    return lambda base: None if base.status == status else gettext("该基地当前状态不能出具此文件。")


def _itself(base: PilotBase) -> PilotBase:
    return base


def _base_kind(key, label, official, problem, content, **options) -> Kind:
    """A document about one base (its subject), found on the base's page."""
    return Kind(key, label, PilotBase, official, problem, content, base_of=_itself, **options)


BASE_KINDS = (
    _base_kind("application", _("建设申请书"), False, lambda b: None, _application),
    _base_kind(
        "approval_notice",
        _("立项建设通知"),
        True,
        lambda b: (
            None
            if b.approved_on and b.status not in (Status.REJECTED, Status.WITHDRAWN)
            else gettext("该基地尚未批准立项。")
        ),
        _approval,
        candidates=lambda: PilotBase.objects.filter(approved_on__isnull=False).exclude(
            status__in=[Status.REJECTED, Status.WITHDRAWN]
        ),
    ),
    _base_kind(
        "task_book",
        _("建设计划任务书"),
        False,
        lambda b: None if _has_task_book(b) else gettext("该基地尚未填报建设计划任务书。"),
        _task_book,
    ),
    _base_kind(
        "recognition_notice",
        _("验收认定通知"),
        True,
        lambda b: None if b.recognized_on else gettext("该基地尚未通过验收。"),
        _recognition,
        candidates=lambda: PilotBase.objects.filter(recognized_on__isnull=False),
    ),
    _base_kind(
        "revocation_decision",
        _("撤销决定"),
        True,
        _needs(Status.REVOKED),
        _revocation,
        candidates=lambda: PilotBase.objects.filter(status=Status.REVOKED),
    ),
    _base_kind(
        "recommendation_letter",
        _("推荐函"),
        False,
        lambda b: (
            None if b.status not in (Status.DRAFT, Status.RETURNED) else gettext("申请提交后才能生成推荐函。")
        ),
        _recommendation,
    ),
)


def documents_concerning(base: PilotBase):
    """Every issued document about a base, for its page: its own, and those about no base that list
    it (Kind.concerning: the public notices (公示) that listed it, the annual grading bulletins (通报)
    of the years it was graded); voided ones too, marked so."""
    about = Q(base=base)
    for kind in KINDS.values():
        if kind.concerning is not None:
            about |= Q(
                kind=kind.key,
                content_type=ContentType.objects.get_for_model(kind.subject),
                object_id__in=kind.concerning(base),
            )
    return IssuedDocument.objects.filter(about).select_related("issued_by").order_by("-issued_at", "-pk")
