"""What every service of annual reporting, grading and evaluation shares: how the host and its
supervising unit are told (Art. 15–17). The bureau's right is assessments.permissions."""

from bases.models import PilotBase
from bases.services import announce, host_and_supervisor


def tell_host(base: PilotBase, title, body="", url="") -> None:
    announce(base, host_and_supervisor(base), title, body, url=url, kind="deadline")
