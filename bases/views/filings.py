"""The host's filings after approval (task book, extension, acceptance, change) and the special-funds
ledger. Everything is reached through the base, scoped to the user (a 404 outside one's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm_log.models import StateLog

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.exports import LEDGER_COLUMNS, ledger_rows
from bases.filing_kinds import FILING_KINDS, FilingKind
from bases.forms import DisbursementForm, FilingStepForm, LedgerEntryForm
from bases.models import Direction, FilingState, category_names
from bases.permissions import is_host_of, may_review
from bases.selectors import base_list_for, base_records_for
from bases.services import base_start_re_recognition
from bases.services import filings as services
from bases.services import funds as fund_services
from portal.documents.excel import excel_response
from portal.forms import refusal_to_form
from portal.resilience import submitted_once


def _kind(kind: str) -> FilingKind:
    filing_kind = FILING_KINDS.get(kind)
    if filing_kind is None:
        raise Http404
    return filing_kind


def _milestone_rows(formset) -> list[dict]:
    return [row for row in formset.cleaned_data if row and not row.get("DELETE")]


@login_required
@require_http_methods(["GET", "POST"])
def filing_new(request, pk, kind):
    """Start a filing of `kind` for a base of one's own unit."""
    filing_kind = _kind(kind)
    base = get_object_or_404(base_list_for(request.user), pk=pk)
    if not is_host_of(request.user, base):
        raise Http404
    problem = services.can_file(kind, base)
    form = filing_kind.form(request.POST or None)
    formset = filing_kind.formset(request.POST or None, base=base)
    if request.method == "POST" and not problem and _valid(form, formset):
        try:
            filing = services.filing_create(
                actor=request.user, base=base, kind=kind, **_typed(request, form, formset)
            )
        except (TransitionRefused, PermissionRefused) as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("已保存草稿。请依托单位审核人审核提交。"))
            return redirect("bases:filing", kind=kind, fid=filing.pk)
    return render(
        request,
        "bases/filings/form.html",
        {
            "base": base,
            "kind": kind,
            "model": filing_kind.model,
            "form": form,
            "formset": formset,
            "problem": problem,
        },
    )


def _valid(form, formset) -> bool:
    return form.is_valid() and (formset is None or formset.is_valid())


def _typed(request, form, formset) -> dict:
    """What a filing's page carries to the service: its fields, its milestones (the task book's
    formset) and its files."""
    return {
        "data": form.cleaned_data,
        "milestones": _milestone_rows(formset) if formset else None,
        "files": request.FILES.getlist("files"),
    }


def _filing(request, kind, fid):
    model = _kind(kind).model
    return get_object_or_404(
        model.objects.select_related("base__host", "base__supervising_unit", "created_by").filter(
            base__in=base_list_for(request.user)
        ),
        pk=fid,
    )


@login_required
@require_http_methods(["GET", "POST"])
def filing_detail(request, kind, fid, step_form=None, step_action=None):
    filing = _filing(request, kind, fid)
    filing_kind = FILING_KINDS[kind]
    base = filing.base
    editable = filing.is_editable and is_host_of(request.user, base)
    form = formset = None
    if editable:
        form = filing_kind.form(request.POST or None, instance=filing)
        formset = filing_kind.formset(request.POST or None, filing=filing)
        if request.method == "POST" and _valid(form, formset):
            try:
                services.filing_update(actor=request.user, filing=filing, **_typed(request, form, formset))
            except (TransitionRefused, PermissionRefused) as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("bases:filing", kind=kind, fid=fid)
    elif request.method == "POST":
        raise Http404
    steps = [
        t.name
        for t in filing.get_available_user_state_transitions(request.user)
        if t.name not in filing_kind.hidden_steps
    ]
    return render(
        request,
        "bases/filings/detail.html",
        {
            "filing": filing,
            "base": base,
            "kind": kind,
            "form": form,
            "formset": formset,
            "steps": [(name, getattr(type(filing), name).label) for name in dict.fromkeys(steps)],
            "step_form": step_form or FilingStepForm(initial={"expected_state": filing.state}),
            "step_action": step_action,
            "timeline": StateLog.objects.for_(filing).select_related("by").order_by("timestamp", "pk"),
            "attachments": filing.attachments.order_by("pk"),
            **filing_kind.page_context(filing),
            "form_panel_link": filing_kind.approved_by_panel
            and filing.state == FilingState.SUPERVISOR_APPROVED
            and may_review(request.user),
        },
    )


@login_required
@require_POST
def filing_step(request, kind, fid, action):
    filing = _filing(request, kind, fid)
    form = FilingStepForm(request.POST)
    if form.is_valid():
        try:
            services.filing_step(
                actor=request.user,
                filing=filing,
                action=action,
                comment=form.cleaned_data["comment"],
                months_granted=form.cleaned_data.get("months_granted"),
                expected_state=form.cleaned_data["expected_state"],
            )
        except PermissionRefused as exc:
            # not this person's step: refused outright, like any other write out of one's rights
            raise PermissionDenied(exc.message) from exc
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已办理：%(step)s。") % {"step": getattr(type(filing), action).label})
            return redirect("bases:filing", kind=kind, fid=fid)
    request.method = "GET"  # show the page with the step's form and its error, keeping the comment
    return filing_detail(request, kind=kind, fid=fid, step_form=form, step_action=action)


# --- the special funds (Art. 9–10) ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def ledger(request, pk):
    base = get_object_or_404(base_records_for(request.user), pk=pk)
    is_bureau = may_review(request.user)
    is_host = is_host_of(request.user, base)
    award = getattr(base, "award", None)
    disburse = DisbursementForm(
        request.POST if request.POST.get("form") == "disburse" else None,
        initial={"disbursed_on": timezone.localdate(), "amount": award.amount if award else ""},
    )
    entry_form = LedgerEntryForm(
        request.POST if request.POST.get("form") == "entry" else None,
        request.FILES or None,
        initial={"entry_on": timezone.localdate()},
    )
    if request.method == "POST":
        if request.POST.get("form") == "disburse" and is_bureau and award and disburse.is_valid():
            try:
                fund_services.award_disburse(actor=request.user, award=award, **disburse.cleaned_data)
            except (TransitionRefused, PermissionRefused) as exc:
                refusal_to_form(disburse, exc)
            else:
                messages.success(request, _("已登记奖励资助拨付。"))
                return redirect("bases:ledger", pk=pk)
        elif request.POST.get("form") == "entry" and (is_host or is_bureau) and entry_form.is_valid():
            data = entry_form.cleaned_data
            with submitted_once(request) as once:  # a double click books the entry once
                if once.repeated:
                    return once.repeated_response(request, fallback=request.path)
                try:
                    fund_services.ledger_record(
                        actor=request.user,
                        base=base,
                        direction=Direction.EXPENDITURE if is_host else Direction.RECEIPT,
                        entry_on=data["entry_on"],
                        amount=data["amount"],
                        payee=data["payee"],
                        category=data["category"] if is_host else "",
                        note=data["note"],
                        vouchers=data["vouchers"] or [],
                    )
                except (TransitionRefused, PermissionRefused) as exc:
                    refusal_to_form(entry_form, exc)
                else:
                    messages.success(request, _("已登记。"))
                    once.done(request.path)
                    return redirect("bases:ledger", pk=pk)
        elif request.POST.get("form") not in ("disburse", "entry") or not (is_host or is_bureau):
            raise Http404
    entries = (
        base.ledger.select_related("recorded_by").prefetch_related("vouchers").order_by("-entry_on", "-pk")
    )
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    names = category_names()
    for entry in page.object_list:
        entry.category_label = names.get(entry.category, entry.category)
    return render(
        request,
        "bases/ledger.html",
        {
            "base": base,
            "award": award,
            "summary": fund_services.ledger_summary(base),
            "page_obj": page,
            "entries": page.object_list,
            "disburse_form": disburse if is_bureau and award and not award.is_disbursed else None,
            "entry_form": entry_form if (is_host or is_bureau) else None,
            "entry_is_expenditure": is_host,
        },
    )


@login_required
@require_POST
def re_recognition_start(request, pk):
    """Art. 14: the host starts the re-recognition application, pre-filled from this base."""
    base = get_object_or_404(base_list_for(request.user), pk=pk)
    if not is_host_of(request.user, base):
        raise Http404
    try:
        new = base_start_re_recognition(actor=request.user, predecessor=base)
    except (TransitionRefused, PermissionRefused) as exc:
        messages.error(request, exc.message)
        return redirect("bases:detail", pk=pk)
    messages.success(request, _("已创建重新认定申请，内容已从原基地带入，请核对修改后提交。"))
    return redirect("bases:detail", pk=new.pk)


@login_required
@require_GET
def ledger_export(request, pk):
    base = get_object_or_404(base_records_for(request.user), pk=pk)
    return excel_response("专项资金收支", _("专项资金收支"), LEDGER_COLUMNS, ledger_rows(base))
