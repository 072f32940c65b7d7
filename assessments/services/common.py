"""What every service of annual reporting, grading and evaluation shares: the bureau's right, and how
the host and its supervising unit are told (Art. 15–17)."""

from django.utils.translation import gettext as _

from bases.exceptions import PermissionRefused
from bases.models import PilotBase
from bases.permissions import REVIEW_PERMISSION
from bases.services import announce, host_and_supervisor
from portal.accounts.models import User


def require_bureau(actor: User) -> None:
    if not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionRefused(_("只有市科技局可以办理年度考核和评估。"))


def tell_host(base: PilotBase, title, body="", url="") -> None:
    announce(base, host_and_supervisor(base), title, body, url=url, kind="deadline")
