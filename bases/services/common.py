"""What the services of a base's application share: the local date, a required reason, the
Party-group meeting's wording, and telling the people concerned about a base."""

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bases.exceptions import TransitionRefused
from bases.models import PilotBase
from bases.selectors import host_users, supervisor_users
from portal.accounts.models import User
from portal.documents.validators import validate_upload
from portal.notifications.services import notify
from portal.text import join_sentences
from portal.workflow.services import check_transition, run_transition

# The signed minutes of a meeting (the Party group's, Art. 8-3; a panel's; an evaluation's, Art. 17):
# a PDF, checked by content like every upload.
MINUTES_KINDS = frozenset({"pdf"})


def local_today(today: date | None) -> date:
    return today or timezone.localdate()


def base_url(base: PilotBase) -> str:
    try:
        return reverse("bases:detail", args=[base.pk])
    except NoReverseMatch:  # before the bases screens are wired
        return ""


def require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("请填写%(what)s。") % {"what": what})
    return reason


def announce(base: PilotBase, recipients, title, body="", *, url: str = "", kind: str = "workflow") -> None:
    """Tell `recipients` about the base (a link to its page unless another is given)."""
    notify(
        recipients=list(recipients),
        title=title,
        body=body,
        url=url or base_url(base),
        target=base,
        kind=kind,
    )


def host_and_supervisor(base: PilotBase) -> list[User]:
    return [*host_users(base), *supervisor_users(base)]


def meeting_comment(meeting_on: date, minutes_no: str, reason: str = "") -> str:
    minutes_no = (minutes_no or "").strip()
    if meeting_on is None or not minutes_no:
        raise TransitionRefused(_("请填写局党组会议日期和纪要编号。"))
    text = _("局党组会议（%(on)s，纪要%(no)s）研究确定。") % {"on": meeting_on.isoformat(), "no": minutes_no}
    return f"{text}{reason}"


def run_meeting_approval(
    actor: User, base: PilotBase, transition: str, meeting_on: date, minutes_no: str, today, *also_dated: str
) -> None:
    """Art. 8-3: run a step the Party-group meeting approved: the step must be open to the actor, the
    meeting may not lie in the future, and the step's comment cites the meeting and its minutes. The
    base is approved on the meeting's date (and whatever `also_dated` names, on that date too)."""
    check_transition(instance=base, transition=transition, actor=actor)
    if meeting_on > local_today(today):
        raise TransitionRefused(_("会议日期不能晚于今天。"))
    comment = meeting_comment(meeting_on, minutes_no)
    changes = dict.fromkeys(("approved_on", *also_dated), meeting_on)
    run_transition(instance=base, transition=transition, actor=actor, comment=comment, changes=changes)


def minutes_problem(minutes) -> str | None:
    """What is wrong with a meeting's signed minutes as uploaded (see MINUTES_KINDS), or None."""
    try:
        validate_upload(minutes, MINUTES_KINDS)
    except ValidationError as exc:
        return join_sentences(exc.messages)
    return None


def past_date_problem(value: date | None, today: date, missing: str, future: str) -> str | None:
    """What is wrong with the date something took place (a meeting, a visit): `missing` when it is
    not given, `future` when it lies after today; None when it is right."""
    if value is None:
        return missing
    return future if value > today else None


def meeting_date_problem(held_on: date | None, today: date) -> str | None:
    """What is wrong with the date of a meeting that took place (Art. 8-3, 17), or None."""
    return past_date_problem(held_on, today, _("请填写会议日期。"), _("会议日期不能晚于今天。"))
