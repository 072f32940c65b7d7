"""What an application must contain before it may be submitted.

One table of the application's fields by section and one of the sections (which of those fields
are required), used for the per-section completeness shown on the form and for the list of what is
missing when a submit is refused. The base's submit step guards on it (bases.models.base), so
this module reads the base only through the object it is given and imports no model.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bases.policy import Condition, ConstructionMode, base_name_problem

# Every field of the application, by the section of the form that edits it (the host may edit
# these and no other while the base is a draft or returned).
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "basic": ("name", "rd_direction", "summary", "contact_name", "contact_phone", "contact_email"),
    "mode": ("construction_mode",),
    "backing": (),
    "director": ("director_name", "director_title", "director_field", "director_achievements"),
    "equipment": (
        "site_address",
        "site_area_m2",
        "equipment_value_wan",
        "equipment_description",
        "pilot_capability",
    ),
    "technology": ("core_technology", "industry_prospects", "upgrade_capability"),
    "finances": (
        "total_assets_wan",
        "net_assets_wan",
        "revenue_last_year_wan",
        "rd_spend_last_year_wan",
        "planned_investment_wan",
        "funding_capacity",
    ),
    "management": (
        "management_system",
        "leadership",
        "staff_total",
        "staff_rd",
        "staff_senior",
        "skilled_workers",
    ),
    "conditions": (),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    article: str = ""
    optional: tuple[str, ...] = ()  # fields of the section that may be left empty

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(name for name in SECTION_FIELDS[self.key] if name not in self.optional)


SECTIONS: tuple[Section, ...] = (
    Section("basic", _("基本信息"), _("第十八条"), optional=("summary", "contact_email")),
    Section("mode", _("建设模式与共建单位"), _("第三条")),
    Section("backing", _("技术依托单位"), _("第七条第（二）项")),
    Section("director", _("基地负责人与代表性论文"), _("第七条第（五）项")),
    Section("equipment", _("仪器设备与场地"), _("第七条第（一）项")),
    Section("technology", _("核心技术与前景"), _("第七条第（三）项")),
    Section(
        "finances",
        _("依托单位财务状况"),
        _("第七条第（四）项"),
        optional=("net_assets_wan", "planned_investment_wan"),
    ),
    Section("management", _("管理与人员"), _("第七条第（六）项"), optional=("staff_senior",)),
    Section("conditions", _("基本条件承诺与证明材料"), _("第七条")),
)


@dataclass
class SectionStatus:
    section: Section
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def section_statuses(base) -> list[SectionStatus]:
    """Per-section list of missing items, in the form's order (uses prefetched relations if any)."""
    statuses = []
    for section in SECTIONS:
        status = SectionStatus(section)
        for name in section.required_fields:
            if _blank(getattr(base, name)):
                status.missing.append(
                    gettext("%(section)s：未填写“%(field)s”")
                    % {"section": section.title, "field": base._meta.get_field(name).verbose_name}
                )
        if section.key == "basic" and not _blank(base.name):
            problem = base_name_problem(base.name, base.rd_direction or None)
            if problem:
                status.missing.append(gettext("基本信息：%(problem)s") % {"problem": problem})
        if (
            section.key == "mode"
            and base.construction_mode == ConstructionMode.JOINT
            and not base.co_builders.all()
        ):
            status.missing.append(gettext("建设模式与共建单位：联合共建须至少填写一家共建单位"))
        if section.key == "backing" and not base.technical_backings.all():
            status.missing.append(gettext("技术依托单位：至少填写一家技术依托单位"))
        if section.key == "director" and not base.papers.all():
            status.missing.append(gettext("基地负责人与代表性论文：至少填写一篇代表性论文"))
        if section.key == "conditions":
            status.missing.extend(_condition_problems(base))
        statuses.append(status)
    return statuses


CONDITION_SHORT = {
    1: _("基本条件（一）"),
    2: _("基本条件（二）"),
    3: _("基本条件（三）"),
    4: _("基本条件（四）"),
    5: _("基本条件（五）"),
    6: _("基本条件（六）"),
    7: _("基本条件（七）"),
    8: _("基本条件（八）"),
}


def _condition_problems(base) -> list[str]:
    by_condition = {c.condition: c for c in base.conditions.all()}
    problems = []
    for condition in Condition:
        item = by_condition.get(condition.value)
        label = str(CONDITION_SHORT[condition.value])
        if item is None or not item.affirmed:
            problems.append(gettext("%(n)s：尚未承诺符合") % {"n": label})
            continue
        if _blank(item.statement):
            problems.append(gettext("%(n)s：未填写情况说明") % {"n": label})
        if not item.evidence.all():
            problems.append(gettext("%(n)s：未上传证明材料") % {"n": label})
    return problems


def missing_for_submission(base) -> list[str]:
    return [problem for status in section_statuses(base) for problem in status.missing]
