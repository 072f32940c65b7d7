from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bases.completeness import section_statuses
from bases.documents import documents_concerning
from bases.extensions import base_page_context, construction_context
from bases.forms import SECTION_FIELDS
from bases.models import POST_APPROVAL_STATES, PilotBase, Status
from bases.permissions import is_host_of, may_edit_application, may_review
from bases.policy import acceptance_window_closes
from bases.selectors import attachment_base, base_list_for, base_with_content
from bases.selectors.filings import filings_of
from bases.selectors.steps import base_actions_for, base_timeline
from bases.services import filings as filing_services
from bases.views.steps import STEPS
from portal.accounts.permissions import is_expert
from portal.documents.issuing import KINDS
from portal.documents.models import Attachment
from portal.documents.views import serve_attachment
from portal.templatetags.portal_tags import wan

# Purposes whose files only the bureau opens (its own working papers).
BUREAU_ONLY_PURPOSES = frozenset({"site_photo", "evaluation_minutes"})  # and the meeting minutes, Art. 17
EXPERT_HIDDEN_PURPOSES = frozenset({"voucher"})


@login_required
@require_GET
def base_detail(request, pk):
    base = get_object_or_404(base_with_content(base_list_for(request.user)).select_related("award"), pk=pk)
    actions = base_actions_for(base, request.user)
    statuses = section_statuses(base)
    sections = []
    for status in statuses:
        key = status.section.key
        values = [
            (PilotBase._meta.get_field(name).verbose_name, _display(base, name))
            for name in SECTION_FIELDS[key]
        ]
        sections.append({"status": status, "key": key, "values": values})
    context = {
        "base": base,
        "sections": sections,
        "complete": all(s.complete for s in statuses),
        "timeline": base_timeline(base),
        "steps": [(name, STEPS[name]) for name in actions if name in STEPS],
        "can_preliminary_review": any(a.startswith("preliminary_") for a in actions),
        "can_edit": base.is_editable and may_edit_application(request.user, base),
        # What the reviews app adds (the bureau's notes, site visits, panels and notices).
        **base_page_context(base, request.user),
        **_construction_context(base, request.user),
        **_documents_context(base, request.user),
    }
    return render(request, "bases/detail.html", context)


def _display(base, name):
    getter = getattr(base, f"get_{name}_display", None)
    value = getter() if getter else getattr(base, name)
    if value is None:
        return ""
    if name.endswith("_wan"):
        # Amounts held in 万元 read as the documents print them: grouped, with the unit.
        return wan(value)
    return value


@login_required
@require_GET
def attachment_download(request, pk):
    """Files are served only here, after checking that the user may see the base they belong to."""
    attachment = get_object_or_404(Attachment, pk=pk)
    base = attachment_base(attachment)
    if base is None or not base_list_for(request.user).filter(pk=base.pk).exists():
        raise Http404
    if attachment.purpose in BUREAU_ONLY_PURPOSES and not may_review(request.user):
        raise Http404
    if attachment.purpose in EXPERT_HIDDEN_PURPOSES and is_expert(request.user):
        raise Http404  # an expert reads what the scoring needs: not the ledger's vouchers
    return serve_attachment(attachment)


def _construction_context(base, user):
    """After approval: the construction clock, the filings and what may be filed now, the award and
    the base's change history."""
    if base.status not in POST_APPROVAL_STATES and base.status not in (Status.REVOKED, Status.SUPERSEDED):
        return {}
    today = timezone.localdate()
    clock = None
    if base.construction_deadline and base.status in (
        Status.UNDER_CONSTRUCTION,
        Status.ACCEPTANCE_APPLIED,
        Status.ACCEPTANCE_REVIEW,
        Status.ACCEPTANCE_FAILED,
    ):
        closes = acceptance_window_closes(base.construction_deadline)
        clock = {
            "deadline": base.construction_deadline,
            "days_left": (base.construction_deadline - today).days,
            "window_closes": closes,
            "window_days_left": (closes - today).days,
        }
    filings = filings_of(base)
    is_host = is_host_of(user, base)
    can_file = [
        (kind, filing_services.KINDS[kind]._meta.verbose_name)
        for kind in filing_services.KINDS
        if is_host and filing_services.can_file(kind, base, today) is None
    ]
    return {
        "construction": {
            "clock": clock,
            "filings": filings,
            "can_file": can_file,
            "award": getattr(base, "award", None),
            "history": list(base.history.all()),
            "can_re_recognise": is_host and base.status == Status.RE_RECOGNITION_REQUIRED,
            # Art. 15: every base in the roster is a provincial candidate; the ranking is the bureau's.
            "provincial_candidate": base.status in (Status.RECOGNIZED, Status.RE_RECOGNITION_REQUIRED),
            # A re-recognition is filed only for a base awaiting it, which then is superseded or, if
            # the re-recognition fails, revoked (an admin's reinstatement returns it to awaiting).
            "successors": list(PilotBase.objects.filter(predecessor=base).only("pk", "name", "status"))
            if base.status in (Status.RE_RECOGNITION_REQUIRED, Status.SUPERSEDED, Status.REVOKED)
            else [],
            # What the assessments app adds: the annual grades (Art. 16), the provincial priority (Art. 15).
            **construction_context(base, user),
        }
    }


def _documents_context(base, user):
    """Issued documents of the base, and the documents this user may preview or issue now."""
    is_bureau = may_review(user)
    available = [
        kind
        for kind in KINDS.values()
        if kind.subject is PilotBase and (is_bureau or not kind.official) and kind.problem(base) is None
    ]
    return {
        "issued_documents": list(documents_concerning(base)),
        "document_kinds": available,
        "can_issue_documents": is_bureau,
    }
