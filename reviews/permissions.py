"""Who may do what in the reviews (Art. 8-2, 8-3): the one place the services and views of this app ask.

The bureau runs the preliminary review, site visits, panels, notices and the expert pool, and records
the Party group's decisions; an expert scores on the panels they joined. Each require_* refuses a
service's actor with the app's words for that step (PermissionRefused, nothing written); a view
turns a refusal into a 404 (an object outside one's scope does not exist). Templates ask the
predicates by the names in RULES through rules' tag (`{% test_rule "reviews.keep_pool" user as x %}`).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from bases.exceptions import PermissionRefused
from bases.permissions import may_review, require_bureau
from portal.accounts.permissions import is_bureau, is_expert

# The bureau's right to record the decision of the Party group (Art. 8-3), granted to its role group.
DECIDE_PERMISSION = "bases.decide_pilotbase"


def may_keep_pool(user) -> bool:
    """The expert pool and its specialties are the bureau staff's."""
    return user.is_active and is_bureau(user)


def may_decide(user) -> bool:
    """The bureau records the Party group's decisions (Art. 8-3)."""
    return user.has_perm(DECIDE_PERMISSION)


def may_score(user) -> bool:
    """An expert answers the panels they are drawn for and scores on them (Art. 8-2)."""
    return is_expert(user)


def require_reviewer(actor) -> None:
    require_bureau(actor, _("只有市科技局可以进行初审和实地考察。"))


def require_panel_keeper(actor) -> None:
    require_bureau(actor, _("只有市科技局可以组织专家评审。"))


def require_notice_keeper(actor) -> None:
    require_bureau(actor, _("只有市科技局可以办理公示。"))


def require_pool_importer(actor) -> None:
    require_bureau(actor, _("只有市科技局可以导入专家库。"))


def require_pool_keeper(actor) -> None:
    if not may_keep_pool(actor):
        raise PermissionRefused(_("只有市科技局可以管理专家库。"))


def require_decider(actor) -> None:
    if not may_decide(actor):
        raise PermissionRefused(_("只有市科技局可以记录局党组会议决定。"))


RULES: dict[str, Callable] = {
    "reviews.review": may_review,
    "reviews.keep_pool": may_keep_pool,
    "reviews.decide": may_decide,
    "reviews.score": may_score,
}
