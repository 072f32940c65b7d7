"""The bureau's site visits (Art. 8-2, 17): recorded with their photos, checked before anything is
written."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bases.exceptions import ApplicationInvalid, TransitionRefused
from bases.models import PilotBase, Status
from bases.services.common import past_date_problem
from portal.accounts.models import User
from portal.documents.services import attachment_create
from portal.documents.validators import IMAGE_KINDS, validate_upload
from portal.workflow.services import lock
from reviews.models import SiteVisit, VisitPurpose
from reviews.permissions import require_reviewer

PHOTO_PURPOSE = "site_photo"
PHOTO_KINDS = IMAGE_KINDS  # jpg, png: checked by content (portal.documents.validators)

# The states of the base in which a visit of each purpose may be recorded.
VISIT_STATES = {
    VisitPurpose.PRELIMINARY: (Status.RECOMMENDED, Status.PRELIMINARY_PASSED),  # Art. 8-2
    VisitPurpose.EVALUATION: (Status.RECOGNIZED,),  # Art. 17: recognised bases are evaluated
}


@transaction.atomic
def site_visit_record(
    *,
    actor: User,
    base: PilotBase,
    purpose: str,
    visited_on: date,
    participants: str,
    findings: str,
    photos: Iterable[File] = (),
    today: date | None = None,
) -> SiteVisit:
    """The bureau records a site visit with its photos (JPEG/PNG, checked by content).

    A preliminary visit (optional, Art. 8-2) is made while the application is at or past preliminary
    review; an evaluation visit (mandatory, Art. 17) to a recognised base."""
    base = lock(base)
    require_reviewer(actor)
    if purpose not in VisitPurpose.values:
        raise TransitionRefused(_("请选择考察类型。"))
    purpose = VisitPurpose(purpose)
    if base.status not in VISIT_STATES[purpose]:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，不能记录%(purpose)s。")
            % {"state": base.get_status_display(), "purpose": purpose.label}
        )
    today = today or timezone.localdate()
    participants, findings = (participants or "").strip(), (findings or "").strip()
    errors = {}
    if problem := past_date_problem(visited_on, today, _("请填写考察日期。"), _("考察日期不能晚于今天。")):
        errors["visited_on"] = problem
    if not participants:
        errors["participants"] = _("请填写考察人员。")
    if not findings:
        errors["findings"] = _("请填写考察情况。")
    photos = list(photos)
    photo_problems = []
    for photo in photos:
        try:
            validate_upload(photo, PHOTO_KINDS)
        except ValidationError as exc:
            photo_problems.extend(exc.messages)
    if photo_problems:
        errors["photos"] = "\n".join(photo_problems)
    if errors:
        # Checked before anything is written: a refused visit leaves no record and no file behind.
        raise ApplicationInvalid(_("实地考察记录填写有误。"), field_errors=errors)

    visit = SiteVisit.objects.create(
        base=base,
        purpose=purpose,
        visited_on=visited_on,
        participants=participants,
        findings=findings,
        created_by=actor,
    )
    for photo in photos:
        attachment_create(
            owner=visit, purpose=PHOTO_PURPOSE, file=photo, uploaded_by=actor, allowed=PHOTO_KINDS
        )
    return visit
