"""Reads of the preliminary review and site visits. They take a base the caller has already loaded
through bases.selectors.base_list_for (scoped to the user), so they add no scope of their own.
The expert pool's reads are the bureau's (its views check the role before calling them)."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

from bases.completeness import SECTIONS
from bases.models import PilotBase, Status
from portal.documents.models import Attachment
from portal.parameters import get_parameter
from reviews import draw as drawing
from reviews.models import (
    Decision,
    Expert,
    NoticeBase,
    Panel,
    PanelBase,
    PanelDraw,
    PanelMember,
    PanelPurpose,
    PreliminaryCheck,
    ScoreSheet,
    ScoringTemplate,
    SiteVisit,
    Specialty,
    VisitPurpose,
)
from reviews.services.panels import entry_result


def preliminary_check_for(base: PilotBase) -> PreliminaryCheck | None:
    """The round under way while the base awaits preliminary review, or None."""
    if base.status != Status.RECOMMENDED:
        return None
    return (
        PreliminaryCheck.objects.filter(base=base, concluded_at__isnull=True)
        .select_related("reviewer")
        .prefetch_related("items")
        .first()
    )


def preliminary_checks_for(base: PilotBase) -> QuerySet[PreliminaryCheck]:
    """Every round of the base, the latest first, with its items."""
    return (
        PreliminaryCheck.objects.filter(base=base)
        .select_related("reviewer")
        .prefetch_related("items")
        .order_by("-round")
    )


# States in which a returned application's notes can still be the latest word: returned, and on its way
# back to the bureau (draft again, submitted, recommended) until a new round concludes.
NOTES_STATES = frozenset({Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.RECOMMENDED})


def preliminary_notes_for(base: PilotBase) -> dict[str, list[tuple[str, str]]]:
    """What the host must revise: when the latest concluded round returned the application, its
    failed items' notes by application section (keys of bases.completeness.SECTIONS, in the form's
    order) as (item label, note). Empty once a later round concluded otherwise. The host receives
    the same text, with the bureau's general comment, in the return notification and the log."""
    if base.status not in NOTES_STATES:
        # Past the preliminary review a later round passed the application: nothing to revise.
        return {}
    latest = (
        PreliminaryCheck.objects.filter(base=base, concluded_at__isnull=False)
        .order_by("-concluded_at", "-round")
        .first()
    )
    if latest is None or latest.decision != Decision.RETURN:
        return {}
    notes: dict[str, list[tuple[str, str]]] = {}
    failed = [item for item in latest.items.all() if item.ok is False]
    for section in SECTIONS:
        for item in failed:
            if item.section == section.key:
                label = str(item.get_key_display())
                notes.setdefault(section.key, []).append((label, item.note or gettext("不符合要求")))
    return notes


def site_visits_for(base: PilotBase, purpose: str | None = None) -> QuerySet[SiteVisit]:
    """The base's site visits, the latest first, with their photos and who recorded them."""
    visits = SiteVisit.objects.filter(base=base).select_related("created_by")
    if purpose:
        visits = visits.filter(purpose=purpose)
    return visits.prefetch_related(
        Prefetch("photos", queryset=Attachment.objects.filter(purpose="site_photo"))
    )


# --- what the triennial evaluation and the annual grading read (bases.review_records) -----------------
def evaluation_panels(base_id: int, since) -> QuerySet[Panel]:
    """Art. 17: the evaluation panels formed since ``since`` with the base among what they reviewed."""
    return Panel.objects.filter(
        purpose=PanelPurpose.EVALUATION, panel_bases__base_id=base_id, created_at__gte=since
    ).distinct()


def is_evaluation_panel(panel: Panel) -> bool:
    return panel.purpose == PanelPurpose.EVALUATION


def evaluation_inspections(base_ids, since) -> dict[int, SiteVisit]:
    """Art. 17: each base's latest evaluation visit recorded since ``since``, by base id, in one query."""
    inspections: dict[int, SiteVisit] = {}
    for visit in SiteVisit.objects.filter(
        base_id__in=list(base_ids), purpose=VisitPurpose.EVALUATION, created_at__gte=since
    ).order_by("visited_on", "pk"):
        inspections[visit.base_id] = visit  # the latest wins
    return inspections


def evaluation_panel_scores(base_ids, since) -> dict:
    """Art. 17: the evaluation panels' scores of the bases, by base id, from panels formed since ``since``."""
    return dict(
        PanelBase.objects.filter(
            base__in=list(base_ids),
            panel__purpose=PanelPurpose.EVALUATION,
            score__isnull=False,
            panel__created_at__gte=since,
        ).values_list("base_id", "score")
    )


def annual_score_sheet() -> ScoringTemplate | None:
    """Art. 16: the bureau's active score sheet for annual grading (a template of purpose annual)."""
    return (
        ScoringTemplate.objects.filter(purpose=PanelPurpose.ANNUAL, is_active=True)
        .prefetch_related("criteria")
        .first()
    )


# --- the expert pool ---------------------------------------------------------------------------------
def expert_list(filters: Mapping | None = None) -> QuerySet[Expert]:
    """The pool, by name, with what the list shows loaded in a fixed number of queries.

    filters (all optional): specialty (a Specialty or its id), active (True / False / None for all),
    q (free text on name, username, title, affiliation, e-mail and phone)."""
    filters = filters or {}
    experts = Expert.objects.select_related("user", "affiliation").prefetch_related("specialties")
    specialty = filters.get("specialty")
    if specialty:
        experts = experts.filter(specialties=specialty)
    active = filters.get("active")
    if active is not None:
        experts = experts.filter(is_active=active)
    text = (filters.get("q") or "").strip()
    if text:
        experts = experts.filter(
            Q(user__full_name__icontains=text)
            | Q(user__username__icontains=text)
            | Q(title__icontains=text)
            | Q(affiliation__name__icontains=text)
            | Q(affiliation_text__icontains=text)
            | Q(email__icontains=text)
            | Q(phone__icontains=text)
        )
    return experts.order_by("user__full_name", "pk")


def expert_with_details(pk: int) -> Expert:
    """One expert with the specialties and conflicts their form shows (Expert.DoesNotExist if none)."""
    return (
        Expert.objects.select_related("user", "affiliation")
        .prefetch_related("specialties", "conflicts")
        .get(pk=pk)
    )


def specialty_list() -> QuerySet[Specialty]:
    """The vocabulary, by name, each with how many experts (in the pool or not) have it."""
    return Specialty.objects.annotate(
        expert_count=Count("experts", distinct=True),
        active_expert_count=Count("experts", filter=Q(experts__is_active=True), distinct=True),
    ).order_by("name")


# --- panels ----------------------------------------------------------------------------------------
@dataclass
class DrawView:
    draw: PanelDraw
    specialties: list
    picked: list  # experts
    excluded: list  # (expert, [reason labels])
    eligible_count: int
    verified: bool


@dataclass
class EntryView:
    entry: PanelBase
    rows: list  # (member, sheet or None, flags)
    result: object


@dataclass
class PanelReport:
    criteria: list
    members: list
    draws: list
    entries: list
    draw_specialties: list
    open_declines: int
    ready: bool  # every base has the sheets a conclusion needs


def _reason_labels(reasons) -> list[str]:
    labels = []
    for code, unit in reasons:
        label = str(drawing.REASONS.get(code, code))
        labels.append(f"{label}（{unit}）" if unit else label)
    return labels


def panel_report(panel: Panel) -> PanelReport:
    """Everything the bureau's panel page shows, in a fixed number of queries."""
    criteria = list(panel.criteria.all())
    members = list(panel.members.select_related("expert__user", "expert__affiliation").order_by("pk"))
    draws = list(panel.draws.prefetch_related("specialties").select_related("drawn_by"))
    mentioned = {pk for d in draws for pk in (*d.picked, *(item["expert"] for item in d.excluded))}
    experts = Expert.objects.select_related("user", "affiliation").in_bulk(mentioned)
    draw_views = [
        DrawView(
            draw=d,
            specialties=list(d.specialties.all()),
            picked=[experts.get(pk) for pk in d.picked],
            excluded=[(experts.get(item["expert"]), _reason_labels(item["reasons"])) for item in d.excluded],
            eligible_count=len(d.eligible),
            verified=drawing.verify(d.eligible, d.requested, d.seed, d.picked),
        )
        for d in draws
    ]
    sheets = ScoreSheet.objects.filter(member__panel=panel).select_related("member")
    by_entry: dict[int, dict[int, ScoreSheet]] = {}
    for sheet in sheets:
        by_entry.setdefault(sheet.entry_id, {})[sheet.member_id] = sheet
    minimum = get_parameter("review_min_sheets")
    entry_views = []
    ready = True
    for entry in panel.panel_bases.select_related("base__host").order_by("pk"):
        own = by_entry.get(entry.pk, {})
        result = entry_result(entry, own.values())
        ready = ready and result.submitted >= minimum
        rows = []
        for member in members:
            if member.state != PanelMember.State.ACCEPTED and member.pk not in own:
                continue
            sheet = own.get(member.pk)
            rows.append(
                (
                    member,
                    sheet,
                    {"outlier": member.pk in result.outliers, "dropped": member.pk in result.dropped},
                )
            )
        entry_views.append(EntryView(entry=entry, rows=rows, result=result))
    return PanelReport(
        criteria=criteria,
        members=members,
        draws=draw_views,
        entries=entry_views,
        draw_specialties=[s.pk for s in draw_views[0].specialties] if draw_views else [],
        open_declines=sum(1 for m in members if m.state == PanelMember.State.DECLINED and not m.replaced),
        ready=ready,
    )


def memberships_for(user) -> QuerySet[PanelMember]:
    """The panels an expert was drawn onto, newest first."""
    return (
        PanelMember.objects.filter(expert__user=user)
        .select_related("panel")
        .annotate(base_count=Count("panel__panel_bases", distinct=True))
        .order_by("-panel__created_at", "-pk")
    )


def member_sheets(member: PanelMember) -> list[tuple[PanelBase, ScoreSheet | None]]:
    sheets = {s.entry_id: s for s in member.sheets.all()}
    entries = member.panel.panel_bases.select_related("base__host").order_by("pk")
    return [(entry, sheets.get(entry.pk)) for entry in entries]


def review_tasks_for(user) -> list[PanelMember]:
    """An expert's open panels still needing their answer or a sheet (the workspace's list)."""
    if getattr(user, "role", None) != "expert":
        return []
    open_members = (
        memberships_for(user)
        .filter(panel__state=Panel.State.SCORING)
        .exclude(state=PanelMember.State.DECLINED)
        .annotate(submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False), distinct=True))
    )
    return [m for m in open_members if m.state == PanelMember.State.INVITED or m.submitted < m.base_count]


def panel_entries_of(base: PilotBase) -> list:
    """The base's panel entries with their panel, the latest panel first; read once per base object
    (the base page's review links and its document checks share them)."""
    prefetch_related_objects(
        [base],
        Prefetch(
            "panel_entries", queryset=PanelBase.objects.select_related("panel").order_by("-panel__created_at")
        ),
    )
    return list(base.panel_entries.all())


def review_links_for(base: PilotBase) -> dict:
    """For the bureau's base page: the base's panels (with their score) and public notices, and what
    the next step of the review is."""
    return {
        "panels": panel_entries_of(base),
        "notices": list(
            NoticeBase.objects.filter(base=base).select_related("notice").order_by("-notice__starts_on")
        ),
        "can_form_panel": base.status == Status.PRELIMINARY_PASSED,
        "can_publish": base.status == Status.REVIEW_PASSED,
    }
