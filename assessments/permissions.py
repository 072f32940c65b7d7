"""Who may do what in annual reporting, grading and the triennial evaluation (Art. 15–17): the one
place the services and views of this app ask.

The bureau opens the rounds, grades and evaluates; the host files its annual report through the
chain of filings (bases.filing_kinds), whose rights are bases'. Templates ask the predicates by the
names in RULES through rules' tag (`{% test_rule "assessments.assess" user as x %}`).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from bases import permissions as base_permissions
from bases.permissions import may_review


def may_assess(user) -> bool:
    """The bureau runs the annual grading and the triennial evaluation (Art. 16, 17)."""
    return may_review(user)


def require_bureau(actor) -> None:
    base_permissions.require_bureau(actor, _("只有市科技局可以办理年度考核和评估。"))


RULES: dict[str, Callable] = {
    "assessments.assess": may_assess,
}
