"""What the reviews app adds to bases' pages and reads (registered in bases.extensions from
reviews.registrations): the bureau's notes on the application (Art. 8-2), site visits, panels and
notices on the base's page, and the review's dates in the workspace and the lifecycle bar."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from bases.extensions import AttachmentFolder
from bases.models import PilotBase
from bases.permissions import may_review
from reviews.models import NoticeBase, PanelBase, PublicNotice, SiteVisit
from reviews.selectors import preliminary_notes_for, review_links_for, site_visits_for
from reviews.services import VISIT_STATES


def base_page_context(base: PilotBase, user) -> dict:
    """The bureau's notes for the host; for the bureau, site visits and the review's panels and
    notices."""
    context = {"preliminary_notes": preliminary_notes_for(base)}
    if may_review(user):
        context["site_visits"] = site_visits_for(base)
        context["can_record_visit"] = any(base.status in states for states in VISIT_STATES.values())
        context["review_links"] = review_links_for(base)
    return context


def notice_ends_on() -> dict:
    """A base in its public notice is due when the notice ends (Art. 8-3)."""
    entries = NoticeBase.objects.filter(base=OuterRef("pk"), outcome="").order_by("-notice__ends_on")
    return {"notice_ends_on": Subquery(entries.values("notice__ends_on")[:1])}


def panel_due_on() -> dict:
    """A base under expert review is due when its panel is (Art. 8-2)."""
    entries = PanelBase.objects.filter(base=OuterRef("pk"), outcome="").order_by("-panel__due_on")
    return {"panel_due_on": Subquery(entries.values("panel__due_on")[:1])}


def notice_deadline(base: PilotBase, today):
    """The lifecycle bar's deadline of a base in its public notice: the published notice's end."""
    ends_on = (
        PublicNotice.objects.filter(entries__base=base, state=PublicNotice.State.PUBLISHED)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    return ends_on, _("公示截止")


# The bureau's site-visit photos go into the base's dossier, for the bureau only.
SITE_PHOTOS = AttachmentFolder(
    "实地考察照片",
    SiteVisit,
    lambda base: base.site_visits.values_list("pk", flat=True),
    bureau_only=True,
)
