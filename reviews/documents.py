"""The documents of the review (Art. 8-2, 8-3, 8-4): the public notice (公示), the panel's score
summary and the acceptance panel's opinion, registered with portal.documents.issuing from
reviews.registrations."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bases.documents import COPY_TO_BUREAU
from bases.models import PilotBase
from portal.documents.content import date_cn
from portal.documents.issuing import PUBLIC, Kind
from reviews.models import Panel, PanelBase, PublicNotice
from reviews.selectors import panel_entries_of, panel_report


def _paper_wording(text: str, notice: PublicNotice) -> str:
    """The notice's body is written for the web page ("通过本页面"); on paper it names the portal."""
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


def _score_summary(panel: Panel) -> dict:
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


def _acceptance_opinion(base: PilotBase) -> dict:
    """The acceptance panel's opinion (验收意见) from its conclusion."""
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


def _has_acceptance_conclusion(base: PilotBase):
    concluded = any(e.panel.purpose == "acceptance" and e.outcome for e in panel_entries_of(base))
    return None if concluded else gettext("该基地尚无验收结论。")


def _itself(base: PilotBase) -> PilotBase:
    return base


KINDS = (
    Kind(
        "acceptance_opinion",
        _("验收意见"),
        PilotBase,
        False,
        _has_acceptance_conclusion,
        _acceptance_opinion,
        base_of=_itself,
    ),
    Kind(
        "notice",
        _("公示"),
        PublicNotice,
        True,
        lambda n: None,
        _notice,
        audience=PUBLIC,
        # The notices that listed the base show on its page.
        concerning=lambda base: PublicNotice.objects.filter(entries__base=base).values("pk"),
    ),
    Kind("score_summary", _("专家评分汇总表"), Panel, False, lambda p: None, _score_summary),
)
