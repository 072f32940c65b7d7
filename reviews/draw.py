"""The random draw of a panel's experts (SPEC §2 "Expert panels"), as pure functions.

Who may not review a base (`conflict_reasons`): an expert of the host unit, of a co-builder or of a
technical backing institution; an expert of the host's supervising unit; an expert who declared a
standing conflict with any of these. The draw (`draw`) picks `count` experts from the eligible pool
with a seeded generator over the pool sorted by id, so that the recorded seed and pool reproduce the
same experts (`verify`). No database and no clock here: the services collect the facts.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Why an expert is excluded from a draw: code → label (the record keeps codes and the unit's name).
REASONS = {
    "host": _("与依托单位为同一单位"),
    "co_builder": _("与共建单位为同一单位"),
    "backing": _("与技术依托单位为同一单位"),
    "supervisor": _("为依托单位的归口管理单位"),
    "declared": _("申报了回避单位"),
    "member": _("已在本专家组"),
}


def normalise(name: str) -> str:
    """A unit's name compared without spaces and with half-width brackets."""
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class Unit:
    """A unit as the conflict rules compare it: by id when it is an organisation of the portal, else by
    USCC or name."""

    name: str
    id: int | None = None
    uscc: str = ""

    def same_as(self, other: "Unit") -> bool:
        if self.id is not None and self.id == other.id:
            return True
        if self.uscc and self.uscc == other.uscc:
            return True
        return bool(normalise(self.name)) and normalise(self.name) == normalise(other.name)


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
            if expert.affiliation.same_as(unit):
                reasons.append((code, unit.name))
            elif any(declared.same_as(unit) for declared in expert.declared):
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
