"""Filing an application: create a draft, edit it section by section (save at any point), check the
name as the user types, add and remove evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bases import services
from bases.completeness import SECTIONS, section_statuses
from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.extensions import application_notes
from bases.forms import SECTION_ROWS, CreateForm, condition_forms, row_formset_class, section_form_class
from bases.models import ConditionAffirmation
from bases.permissions import may_edit_application
from bases.policy import base_name_problem
from bases.selectors import base_list_for, base_with_content
from portal.accounts.permissions import is_host
from portal.forms import refusal_to_form
from portal.resilience import submitted_once
from portal.views import act_and_return

SECTION_KEYS = [s.key for s in SECTIONS]


@login_required
def base_create(request):
    if not is_host(request.user):
        raise Http404
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with submitted_once(request) as once:  # a double click creates one draft
            if once.repeated:
                return once.repeated_response(request, fallback=reverse("bases:list"))
            try:
                base = services.base_create_draft(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    rd_direction=form.cleaned_data["rd_direction"],
                )
            except TransitionRefused as exc:  # ApplicationInvalid too
                refusal_to_form(form, exc)
            else:
                messages.success(
                    request, _("已创建申请草稿，请逐项填写。可随时保存，填写完整后由依托单位审核人提交。")
                )
                url = reverse("bases:edit", kwargs={"pk": base.pk, "section": "basic"})
                once.done(url)
                return redirect(url)
    return render(request, "bases/create.html", {"form": form})


def _editable_base(request, pk):
    base = get_object_or_404(base_with_content(base_list_for(request.user)), pk=pk)
    if not may_edit_application(request.user, base):
        raise Http404
    return base


@login_required
def section_edit(request, pk, section):
    if section not in SECTION_KEYS:
        raise Http404
    base = _editable_base(request, pk)
    if not base.is_editable:
        messages.info(request, _("当前状态为“%(s)s”，申请书不可修改。") % {"s": base.get_status_display()})
        return redirect("bases:detail", pk=base.pk)

    post = request.method == "POST"
    form = section_form_class(section)(request.POST if post else None, instance=base, section=section)
    formset = None
    if section in SECTION_ROWS:
        relation = SECTION_ROWS[section][0]
        formset = row_formset_class(section)(
            request.POST if post else None, queryset=getattr(base, relation).all(), prefix=relation
        )
    conditions = None
    if section == "conditions":
        initial = {
            c.condition: {"affirmed": c.affirmed, "statement": c.statement} for c in base.conditions.all()
        }
        conditions = condition_forms(request.POST if post else None, request.FILES if post else None, initial)

    if post:
        saved = _save_section(request, base, section, form, formset, conditions)
        if saved:
            messages.success(request, _("已保存。"))
            if request.POST.get("next") == "1":
                following = SECTION_KEYS.index(section) + 1
                if following < len(SECTION_KEYS):
                    return redirect("bases:edit", pk=base.pk, section=SECTION_KEYS[following])
                return redirect("bases:detail", pk=base.pk)
            return redirect("bases:edit", pk=base.pk, section=section)
        base.refresh_from_db()

    fresh = ConditionAffirmation.objects.filter(base=base).prefetch_related("evidence")
    evidence = {c.condition: list(c.evidence.all()) for c in fresh}
    context = {
        "base": base,
        "section": next(s for s in SECTIONS if s.key == section),
        "statuses": section_statuses(base),
        "form": form,
        "formset": formset,
        "condition_forms": [(f, evidence.get(f.condition.value, [])) for f in conditions or []],
        # The bureau's notes from the preliminary review (Art. 8-2), given by the reviews app.
        "notes": application_notes(base).get(section, []),
        "is_last": section == SECTION_KEYS[-1],
    }
    return render(request, "bases/edit.html", context)


def _save_section(request, base, section, form, formset, conditions) -> bool:
    """Save what is valid; report every problem. Uploaded evidence that passes is kept even when
    another part of the page is refused, so nothing has to be uploaded twice."""
    ok = form.is_valid() and (formset is None or formset.is_valid())
    if conditions is not None:
        every_condition_valid = [c.is_valid() for c in conditions]  # validate all, to show every error
        ok = all(every_condition_valid) and ok
        ok = _save_conditions(request, base, conditions) and ok
    if not ok:
        return False
    try:
        data = {name: form.cleaned_data[name] for name in form.fields}
        if data:
            services.base_update(actor=request.user, base=base, data=data)
        if formset is not None:
            rows = [
                {name: f.cleaned_data[name] for name in SECTION_ROWS[section][2]}
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            services.base_replace_rows(
                actor=request.user, base=base, relation=SECTION_ROWS[section][0], rows=rows
            )
    except ApplicationInvalid as exc:
        for field, message in exc.field_errors.items():
            if field in form.fields:
                form.add_error(field, message)
            elif formset is not None:
                formset._non_form_errors = formset.error_class([message])
            else:
                form.add_error(None, message)
        return False
    except TransitionRefused as exc:
        form.add_error(None, exc.message)
        return False
    return True


def _save_conditions(request, base, conditions) -> bool:
    ok = True
    for cform in conditions:
        if not cform.is_valid():
            continue
        try:
            services.condition_affirm(
                actor=request.user,
                base=base,
                condition=cform.condition,
                affirmed=cform.cleaned_data["affirmed"],
                statement=cform.cleaned_data["statement"],
            )
        except TransitionRefused as exc:
            cform.add_error(None, exc.message)
            ok = False
            continue
        for upload in cform.cleaned_data["evidence"]:
            try:
                services.evidence_attach(
                    actor=request.user, base=base, condition=cform.condition, file=upload
                )
            except TransitionRefused as exc:
                cform.add_error("evidence", exc.message)
                ok = False
    return ok


@login_required
@require_POST
def evidence_delete(request, pk, attachment_id):
    base = _editable_base(request, pk)
    return act_and_return(
        request,
        lambda: services.evidence_remove(actor=request.user, base=base, attachment_id=attachment_id),
        refused=(TransitionRefused, PermissionRefused),
        said=lambda _removed: [_("已删除该证明材料。")],
        back=reverse("bases:edit", kwargs={"pk": base.pk, "section": "conditions"}),
    )


@login_required
@require_POST
def name_check(request):
    """htmx partial: the Art. 18 verdict on the name typed so far."""
    name = request.POST.get("name", "").strip()
    problem = base_name_problem(name, request.POST.get("rd_direction", "").strip() or None) if name else None
    return render(request, "bases/partials/name_check.html", {"name": name, "problem": problem})
