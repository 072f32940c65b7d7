"""The random draw of a panel's experts (Art. 8-2), as pure functions.

Who may not review a base (`conflict_reasons`): an expert whose organisation is, contains or belongs
to the host unit, a co-builder, a technical backing unit or the host's supervising unit; an expert who
declared a conflict with any of these (or with a unit above or below one of them). The draw (`draw`)
picks `count` experts from the eligible pool with a seeded generator over the pool sorted by id, so
that the recorded seed and pool reproduce the same experts (`verify`). No database and no clock here:
the services collect the facts, each unit with its ancestors in the organisation tree.

When two units are related (`relation`), in this order:
1. the same unit: the same organisation of the portal, the same normalised USCC (upper case, no
   spaces), or the same normalised name (no spaces, half-width brackets);
2. one belongs to the other: the other is among its ancestors in the organisation tree
   (Organisation.parent, followed by the services — a school of a university, a subsidiary of a
   group, whether or not the sub-unit has a USCC of its own); or its name, or an ancestor's name,
   begins with the other's full name (山西大学化学化工学院 and 山西大学; 晋能控股集团装备制造有限公司 and
   晋能控股集团有限公司, whose name counts without its legal form after 集团). The name rule catches
   sub-units typed as free text on an application; it applies only when the shorter name is the full
   name of an institution (it ends in 大学, 学院, 研究院, 公司, 集团 …, see INSTITUTION_ENDINGS), so
   "山西" never contains "山西大学" and 山西农业大学 never belongs to 山西大学. A sub-unit named without its
   parent (分子科学研究所) is caught only through the tree, or by the expert declaring it.
Siblings (two schools of one university) are not related by this rule: neither is, contains or
belongs to the other.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

PARTIES = {
    "host": (_("与依托单位为同一单位"), _("所在单位隶属于依托单位"), _("依托单位隶属于其所在单位")),
    "co_builder": (_("与共建单位为同一单位"), _("所在单位隶属于共建单位"), _("共建单位隶属于其所在单位")),
    "backing": (
        _("与技术依托单位为同一单位"),
        _("所在单位隶属于技术依托单位"),
        _("技术依托单位隶属于其所在单位"),
    ),
    "supervisor": (
        _("为依托单位的归口管理单位"),
        _("所在单位隶属于归口管理单位"),
        _("归口管理单位隶属于其所在单位"),
    ),
}
# Why an expert is excluded from a draw: code → label (the record keeps codes and the unit's name).
# A party's code alone means the same unit; "_within": the expert's unit belongs to it; "_contains":
# it belongs to the expert's unit.
REASONS = {
    **{code: labels[0] for code, labels in PARTIES.items()},
    **{f"{code}_within": labels[1] for code, labels in PARTIES.items()},
    **{f"{code}_contains": labels[2] for code, labels in PARTIES.items()},
    "declared": _("申报了回避单位"),
    "member": _("已在本专家组"),
}

# The endings of a full institution name: only such a name is taken as a parent by the name rule.
INSTITUTION_ENDINGS = (
    "大学",
    "学院",
    "学校",
    "研究院",
    "研究所",
    "科学院",
    "中心",
    "实验室",
    "医院",
    "集团",
    "公司",
    "总厂",
    "委员会",
    "局",
)
# The legal forms a group's name may end with; its subsidiaries are often named "<group>…有限公司".
GROUP_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司")
MIN_PARENT_NAME = 4  # characters


def normalise(name: str) -> str:
    """A unit's name compared without spaces and with half-width brackets."""
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


def _parent_prefixes(name: str) -> tuple[str, ...]:
    """The beginnings that mark a name as a sub-unit of the unit called `name` (see the module)."""
    name = normalise(name)
    if len(name) < MIN_PARENT_NAME or not name.endswith(INSTITUTION_ENDINGS):
        return ()
    prefixes = [name]
    for form in GROUP_LEGAL_FORMS:
        stem = name.removesuffix(form)
        if stem != name and stem.endswith("集团") and len(stem) >= MIN_PARENT_NAME:
            prefixes.append(stem)
            break
    return tuple(prefixes)


def name_belongs(child: str, parent: str) -> bool:
    """Whether `child` is named as a sub-unit of `parent` (its name begins with the parent's full name)."""
    child = normalise(child)
    return any(child != prefix and child.startswith(prefix) for prefix in _parent_prefixes(parent))


@dataclass(frozen=True)
class Unit:
    """A unit as the conflict rules compare it: by id when it is an organisation of the portal, else by
    normalised USCC or name; `parents` are its ancestors in the organisation tree, nearest first."""

    name: str
    id: int | None = None
    uscc: str = ""
    parents: tuple["Unit", ...] = ()

    def same_as(self, other: "Unit") -> bool:
        if self.id is not None and self.id == other.id:
            return True
        mine, theirs = _uscc(self.uscc), _uscc(other.uscc)
        if mine and mine == theirs:
            return True
        return bool(normalise(self.name)) and normalise(self.name) == normalise(other.name)

    def belongs_to(self, other: "Unit") -> bool:
        """Whether this unit lies below `other`: by the tree, or by its (or an ancestor's) name."""
        if any(parent.same_as(other) for parent in self.parents):
            return True
        return any(name_belongs(unit.name, other.name) for unit in (self, *self.parents))


def _uscc(code: str) -> str:
    return "".join((code or "").split()).upper()


def relation(unit: Unit, other: Unit) -> str | None:
    """ "same", "within" (unit belongs to other), "contains" (other belongs to unit), or None."""
    if unit.same_as(other):
        return "same"
    if unit.belongs_to(other):
        return "within"
    if other.belongs_to(unit):
        return "contains"
    return None


@dataclass(frozen=True)
class BaseFacts:
    name: str
    host: Unit
    supervisor: Unit
    co_builders: tuple[Unit, ...] = ()
    backings: tuple[Unit, ...] = ()


@dataclass(frozen=True)
class ExpertFacts:
    id: int
    affiliation: Unit
    declared: tuple[Unit, ...] = ()
    on_panel: bool = False


@dataclass
class Exclusion:
    expert_id: int
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (code, the unit's name)


def conflict_reasons(expert: ExpertFacts, bases: Iterable[BaseFacts]) -> list[tuple[str, str]]:
    """Every reason the expert may not sit on a panel reviewing these bases, as (code, unit name)."""
    reasons: list[tuple[str, str]] = []
    if expert.on_panel:
        reasons.append(("member", ""))
    for base in bases:
        parties = [
            ("host", base.host),
            ("supervisor", base.supervisor),
            *(("co_builder", unit) for unit in base.co_builders),
            *(("backing", unit) for unit in base.backings),
        ]
        for code, unit in parties:
            found = relation(expert.affiliation, unit)
            if found == "same":
                reasons.append((code, unit.name))
            elif found is not None:
                reasons.append((f"{code}_{found}", unit.name))
            elif any(relation(declared, unit) for declared in expert.declared):
                reasons.append(("declared", unit.name))
    return list(dict.fromkeys(reasons))


class NotEnoughExperts(ValueError):
    def __init__(self, wanted: int, available: int):
        self.wanted = wanted
        self.available = available
        super().__init__(f"wanted {wanted}, only {available} eligible")


def split_pool(
    experts: Sequence[ExpertFacts], bases: Sequence[BaseFacts]
) -> tuple[list[int], list[Exclusion]]:
    """The eligible expert ids (sorted) and the excluded experts with their reasons."""
    eligible, excluded = [], []
    for expert in experts:
        reasons = conflict_reasons(expert, bases)
        if reasons:
            excluded.append(Exclusion(expert.id, reasons))
        else:
            eligible.append(expert.id)
    return sorted(eligible), sorted(excluded, key=lambda exclusion: exclusion.expert_id)


def draw(eligible: Sequence[int], count: int, seed: int) -> list[int]:
    """`count` distinct experts from the eligible pool, reproducibly from the seed."""
    pool = sorted(set(eligible))
    if count < 1 or count > len(pool):
        raise NotEnoughExperts(count, len(pool))
    return random.Random(seed).sample(pool, count)


def verify(eligible: Sequence[int], count: int, seed: int, picked: Sequence[int]) -> bool:
    """Whether a recorded draw is what its seed and pool give."""
    try:
        return draw(eligible, count, seed) == list(picked)
    except NotEnoughExperts:
        return False
