"""Which bases a user may see (an object outside one's scope does not exist for them), and the
public roster."""

from django.db.models import QuerySet

from bases.models import PilotBase, Status
from portal.accounts.models import User
from portal.accounts.permissions import is_admin, is_bureau, is_expert, is_host, is_supervisor

# The public roster (名单): recognised bases, and those recognised that must be re-recognised after a
# change (Art. 14) — still municipal pilot bases until the bureau decides.
IN_ROSTER = (Status.RECOGNIZED, Status.RE_RECOGNITION_REQUIRED)


def public_roster() -> QuerySet[PilotBase]:
    """The bases the public roster lists; the home page counts the same rows."""
    return PilotBase.objects.filter(status__in=IN_ROSTER)


def base_list_for(user: User) -> QuerySet[PilotBase]:
    """Host users: their unit's bases; supervisors: their jurisdiction's; bureau and admin: all.
    Experts see bases only through their panel assignments (reviews app); everyone else: none."""
    qs = PilotBase.objects.select_related("host", "supervising_unit")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_host(user):
        return qs.filter(host_id=user.organisation_id)
    if is_supervisor(user):
        return qs.filter(supervising_unit_id=user.organisation_id)
    if sees_every_base(user):
        return qs
    if is_expert(user):
        # Only bases of a panel the expert joined by signing the no-conflict declaration, and only
        # while that panel is scoring: once it concludes, the expert's task (and access) has ended;
        # their own score sheets stay readable on their panel page (reviews app). One filter() call,
        # so that member, state and panel refer to the same panel.
        return qs.filter(
            pk__in=PilotBase.objects.filter(
                panel_entries__panel__members__expert__user=user,
                panel_entries__panel__members__state="accepted",
                panel_entries__panel__state="scoring",
            ).values("pk")
        )
    return qs.none()


def base_records_for(user: User) -> QuerySet[PilotBase]:
    """The bases whose records beyond what a review needs (the funds ledger and its vouchers, the
    issued documents, the archive dossier) the user may see: base_list_for(user), except that an
    expert, who reads only what the scoring needs (the application, its evidence, the filing under
    review), sees none of them."""
    if user.is_authenticated and is_expert(user):
        return PilotBase.objects.none()
    return base_list_for(user)


def sees_every_base(user: User) -> bool:
    """The bureau and the administrators: their scope is the whole table, so a query over "the bases
    in scope" need not carry a subquery over 100,000 ids."""
    return user.is_authenticated and user.is_active and (is_bureau(user) or is_admin(user))


def base_with_content(queryset: QuerySet[PilotBase]) -> QuerySet[PilotBase]:
    """Everything the detail and form pages show, in a fixed number of queries."""
    return queryset.prefetch_related(
        "co_builders", "technical_backings", "papers", "equipment", "conditions__evidence"
    )


def attachment_base(attachment) -> PilotBase | None:
    """The base an attachment belongs to, whatever record holds it (evidence, a step's letter, …)."""
    owner = attachment.content_object
    if owner is None:
        return None
    if isinstance(owner, PilotBase):
        return owner
    base = getattr(owner, "base", None)  # ConditionAffirmation, SiteVisit, later sub-processes
    if isinstance(base, PilotBase):
        return base
    state_log = getattr(owner, "state_log", None)  # TransitionRecord
    if state_log is not None:
        target = state_log.content_object
        if isinstance(target, PilotBase):
            return target
        return getattr(target, "base", None)
    return None
