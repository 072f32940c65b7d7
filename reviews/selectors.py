"""Reads of the preliminary review and site visits. They take a base the caller has already loaded
through bases.selectors.base_list_for (scoped to the user), so they add no scope of their own.
The expert pool's reads are the bureau's (its views check the role before calling them)."""

from collections.abc import Mapping

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from bases.completeness import SECTIONS
from bases.models import PilotBase, Status
from portal.documents.models import Attachment
from reviews.models import Decision, Expert, PreliminaryCheck, SiteVisit, Specialty


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


def preliminary_notes_for(base: PilotBase) -> dict[str, list[tuple[str, str]]]:
    """What the host must revise: when the latest concluded round returned the application, its
    failed items' notes by application section (keys of bases.completeness.SECTIONS, in the form's
    order) as (item label, note). Empty once a later round concluded otherwise. The host receives
    the same text, with the bureau's general comment, in the return notification and the log."""
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
