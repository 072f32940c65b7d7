"""The facts conflict avoidance works on (Art. 8-2; the rule itself is reviews.draw): the units of
each base under review and of each expert, resolved to the portal's organisations where possible and
carried with their ancestors in the organisation tree.

A unit given on an application or by an expert as a name (and maybe a USCC) is taken to be a known
organisation when it is linked to one, has its USCC, or has its name (compared without spaces and
with half-width brackets); it then brings that organisation's ancestors (Organisation.parent), so
that 分子科学研究所 entered by name is known to belong to 山西大学. Everything is read in a fixed number
of queries whatever the size of the pool (one per level of the tree).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bases.models import PilotBase
from bases.policy import normalise_uscc
from portal.accounts.models import Organisation
from reviews import draw as drawing
from reviews.models import Expert

MAX_TREE_DEPTH = 10

ROLE_LABELS = {
    "host": _("依托单位"),
    "co_builder": _("共建单位"),
    "backing": _("技术依托单位"),
    "supervisor": _("归口管理单位"),
}


@dataclass(frozen=True)
class UnitRef:
    """A unit as a record names it: its name, maybe a USCC, maybe a link to an organisation."""

    name: str
    uscc: str = ""
    organisation_id: int | None = None


@dataclass(frozen=True)
class PanelUnit:
    """One unit of a base before a panel, as the declaration names it and the expert may pick it."""

    key: str
    base_id: int
    base_name: str
    role: str  # host, co_builder, backing, supervisor
    name: str
    uscc: str
    organisation_id: int | None

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])


def _name_variants(name: str) -> set[str]:
    compact = drawing.normalise(name)
    return {name, name.strip(), compact, compact.replace("(", "（").replace(")", "）")}


class UnitResolver:
    """Resolves UnitRefs to drawing.Units with their ancestors, loading what is needed at once."""

    def __init__(self, refs: Iterable[UnitRef]):
        refs = list(refs)
        ids = {r.organisation_id for r in refs if r.organisation_id}
        usccs = {normalise_uscc(r.uscc) for r in refs if normalise_uscc(r.uscc)}
        names = set().union(*(_name_variants(r.name) for r in refs if r.name)) if refs else set()
        names.discard("")
        self.by_id: dict[int, Organisation] = {}
        if ids or usccs or names:
            query = Q(pk__in=ids) | Q(uscc__in=usccs) | Q(name__in=names)
            self._add(Organisation.objects.filter(query).only("pk", "name", "uscc", "parent_id"))
        self.by_uscc = {o.uscc: o for o in self.by_id.values() if o.uscc}
        self.by_name = {drawing.normalise(o.name): o for o in self.by_id.values()}
        for _level in range(MAX_TREE_DEPTH):  # the ancestors, one level per query
            missing = {
                o.parent_id for o in self.by_id.values() if o.parent_id and o.parent_id not in self.by_id
            }
            if not missing:
                break
            self._add(Organisation.objects.filter(pk__in=missing).only("pk", "name", "uscc", "parent_id"))

    def _add(self, organisations) -> None:
        for organisation in organisations:
            self.by_id[organisation.pk] = organisation

    def _ancestors(self, organisation: Organisation) -> tuple[drawing.Unit, ...]:
        chain, seen = [], {organisation.pk}
        parent = self.by_id.get(organisation.parent_id)
        while parent is not None and parent.pk not in seen and len(chain) < MAX_TREE_DEPTH:
            seen.add(parent.pk)
            chain.append(drawing.Unit(name=parent.name, id=parent.pk, uscc=parent.uscc or ""))
            parent = self.by_id.get(parent.parent_id)
        return tuple(chain)

    def organisation_for(self, ref: UnitRef) -> Organisation | None:
        uscc = normalise_uscc(ref.uscc)
        return (
            self.by_id.get(ref.organisation_id)
            or (self.by_uscc.get(uscc) if uscc else None)
            or self.by_name.get(drawing.normalise(ref.name))
        )

    def unit(self, ref: UnitRef) -> drawing.Unit:
        organisation = self.organisation_for(ref)
        if organisation is None:
            return drawing.Unit(name=ref.name, uscc=normalise_uscc(ref.uscc))
        return drawing.Unit(
            name=ref.name or organisation.name,
            id=organisation.pk,
            uscc=normalise_uscc(ref.uscc) or organisation.uscc or "",
            parents=self._ancestors(organisation),
        )


def _org_ref(organisation: Organisation) -> UnitRef:
    return UnitRef(name=organisation.name, uscc=organisation.uscc or "", organisation_id=organisation.pk)


def base_unit_refs(base: PilotBase) -> list[tuple[str, object, UnitRef]]:
    """Every unit of a base as (role, the record naming it, ref): host, co-builders, backing units,
    the supervising unit — in the order the declaration names them."""
    return [
        ("host", base.host, _org_ref(base.host)),
        *(
            ("co_builder", row, UnitRef(row.name, row.uscc or "", row.organisation_id))
            for row in base.co_builders.all()
        ),
        *(
            ("backing", row, UnitRef(row.name, row.uscc or "", row.organisation_id))
            for row in base.technical_backings.all()
        ),
        ("supervisor", base.supervising_unit, _org_ref(base.supervising_unit)),
    ]


def _expert_refs(expert: Expert) -> tuple[UnitRef, list[UnitRef]]:
    if expert.affiliation_id:
        affiliation = _org_ref(expert.affiliation)
    else:
        affiliation = UnitRef(name=expert.affiliation_text)
    declared = [_org_ref(org) for org in expert.conflicts.all()]
    declared += [UnitRef(c.name, c.uscc or "", c.organisation_id) for c in expert.declared_conflicts.all()]
    return affiliation, declared


def draw_facts(
    bases: Sequence[PilotBase], experts: Sequence[Expert], on_panel: Iterable[int] = ()
) -> tuple[list[drawing.BaseFacts], list[drawing.ExpertFacts]]:
    """The facts of a draw: the bases (with host, supervisor, co-builders and backings prefetched)
    and the experts (with affiliation, conflicts and declared_conflicts prefetched)."""
    on_panel = set(on_panel)
    base_refs = {base.pk: base_unit_refs(base) for base in bases}
    expert_refs = {expert.pk: _expert_refs(expert) for expert in experts}
    every = [ref for refs in base_refs.values() for _role, _row, ref in refs]
    for affiliation, declared in expert_refs.values():
        every += [affiliation, *declared]
    resolver = UnitResolver(every)
    base_facts = []
    for base in bases:
        units = [(role, resolver.unit(ref)) for role, _row, ref in base_refs[base.pk]]
        base_facts.append(
            drawing.BaseFacts(
                name=base.name,
                host=units[0][1],
                supervisor=units[-1][1],
                co_builders=tuple(unit for role, unit in units if role == "co_builder"),
                backings=tuple(unit for role, unit in units if role == "backing"),
            )
        )
    expert_facts = [
        drawing.ExpertFacts(
            id=expert.pk,
            affiliation=resolver.unit(expert_refs[expert.pk][0]),
            declared=tuple(resolver.unit(ref) for ref in expert_refs[expert.pk][1]),
            on_panel=expert.pk in on_panel,
        )
        for expert in experts
    ]
    return base_facts, expert_facts


def panel_units(bases: Sequence[PilotBase]) -> list[PanelUnit]:
    """Every unit of every base, each with a key the expert's declaration form posts back."""
    units = []
    for base in bases:
        for role, row, ref in base_unit_refs(base):
            key = f"{base.pk}-{role}" if role in ("host", "supervisor") else f"{base.pk}-{role}-{row.pk}"
            units.append(
                PanelUnit(
                    key=key,
                    base_id=base.pk,
                    base_name=base.name,
                    role=role,
                    name=ref.name,
                    uscc=ref.uscc,
                    organisation_id=ref.organisation_id,
                )
            )
    return units
