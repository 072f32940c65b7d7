"""The steps a person takes on a base (submit, recommend, return, decline, withdraw, revoke): a form
per step, the service behind it, and the domain's refusal shown on the form with nothing lost."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from bases import services
from bases.exceptions import ApplicationInvalid, TransitionRefused
from bases.forms import ReasonStepForm, RecommendForm, RevokeForm, StepForm
from bases.selectors import base_list_for
from bases.selectors.steps import base_actions_for
from portal.forms import refusal_to_form


@dataclass(frozen=True)
class Step:
    label: str
    form: type
    intro: str
    confirm: str = ""  # irreversible steps ask once more
    button_class: str = "btn-primary"


STEPS: dict[str, Step] = {
    "submit": Step(
        _("审核提交"),
        StepForm,
        _("提交后申请将报送归口管理单位审核推荐，在退回前不能再修改。"),
        _("确认审核通过并提交该申请？"),
    ),
    "supervisor_return": Step(
        _("退回修改"),
        ReasonStepForm,
        _("退回后依托单位可修改并重新提交。请写明需要修改的内容。"),
        "",
        "btn-warning",
    ),
    "recommend": Step(
        _("审核推荐"),
        RecommendForm,
        _("同意推荐的，请上传加盖公章的正式推荐文件（第八条第（一）项），申请将报市科技局初审。"),
        _("确认推荐该申请并报送市科技局？"),
    ),
    "decline": Step(
        _("不予推荐"),
        ReasonStepForm,
        _("不予推荐后申请即告终止，依托单位不能再修改或提交。"),
        _("不予推荐是不可撤销的操作，确认不予推荐？"),
        "btn-outline-danger",
    ),
    "withdraw": Step(
        _("撤回申请"),
        ReasonStepForm,
        _("撤回后申请即告终止，如需申报须重新填写。"),
        _("撤回是不可撤销的操作，确认撤回该申请？"),
        "btn-outline-danger",
    ),
    "revoke": Step(
        _("撤销资格"),
        RevokeForm,
        _("撤销后基地移出市中试基地序列，并记录撤销原因与依据条款。"),
        _("撤销基地资格是不可撤销的操作，确认撤销？"),
        "btn-outline-danger",
    ),
    "reinstate": Step(
        _("纠正错误撤销"),
        ReasonStepForm,
        _("仅用于纠正错误的撤销：基地恢复到撤销前的状态，理由记入办理记录。"),
        _("确认恢复该基地的资格？"),
        "btn-outline-warning",
    ),
}


def _run(name, user, base, form):
    data = form.cleaned_data
    expected = data["expected_status"]
    comment = data.get("comment", "")
    if name == "submit":
        return services.base_submit(actor=user, base=base, comment=comment, expected_status=expected)
    if name == "supervisor_return":
        return services.base_supervisor_return(
            actor=user, base=base, reason=comment, expected_status=expected
        )
    if name == "recommend":
        return services.base_recommend(
            actor=user, base=base, letter=data["letter"], comment=comment, expected_status=expected
        )
    if name == "decline":
        return services.base_decline(actor=user, base=base, reason=comment, expected_status=expected)
    if name == "withdraw":
        return services.base_withdraw(actor=user, base=base, reason=comment, expected_status=expected)
    if name == "revoke":
        return services.base_revoke(
            actor=user, base=base, reason_code=data["reason_code"], note=comment, expected_status=expected
        )
    if name == "reinstate":
        return services.base_reinstate(actor=user, base=base, reason=comment, expected_status=expected)
    raise Http404


@login_required
def base_step(request, pk, action):
    step = STEPS.get(action)
    base = get_object_or_404(base_list_for(request.user), pk=pk)
    if step is None or action not in base_actions_for(base, request.user):
        may_in_principle = step is not None and any(
            t.name == action and t.has_perm(base, request.user) for t in base.get_all_status_transitions()
        )
        if request.method == "POST" and may_in_principle:
            # The page was stale: someone else acted first, the step no longer fits the state.
            messages.warning(
                request, _("该事项已被他人处理，当前状态为“%(s)s”。") % {"s": base.get_status_display()}
            )
            return redirect("bases:detail", pk=base.pk)
        raise Http404
    missing = []
    if request.method == "POST":
        form = step.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                _run(action, request.user, base, form)
            except ApplicationInvalid as exc:
                refusal_to_form(form, exc)
            except TransitionRefused as exc:
                form.add_error(None, exc.message)
                missing = exc.details
            else:
                messages.success(request, _("已完成：%(step)s。") % {"step": step.label})
                return redirect("bases:detail", pk=base.pk)
    else:
        form = step.form(initial={"expected_status": base.status})
    return render(
        request,
        "bases/step.html",
        {"base": base, "step": step, "action": action, "form": form, "missing": missing},
    )
