"""The expert's workspace: invitations, the no-conflict declaration, and the score sheets.

An expert reaches only their own memberships (anything else is a 404). Until they accept and sign
the declaration they see the panel's title, due date and the names of the bases and host units, so
that they can tell whether they are in conflict, and nothing of the materials.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bases.exceptions import PermissionRefused, TransitionRefused
from reviews.forms.panels import AcceptForm, ConflictForm, DeclineForm, SheetForm
from reviews.models import PanelBase, PanelMember, ScoreSheet
from reviews.permissions import may_score
from reviews.selectors import member_sheets, memberships_for
from reviews.services import members as services


def _membership(request, panel_id) -> PanelMember:
    if not may_score(request.user):
        raise Http404
    return get_object_or_404(memberships_for(request.user), panel_id=panel_id)


@login_required
@require_GET
def my_panels(request):
    if not may_score(request.user):
        raise Http404
    page = Paginator(memberships_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "reviews/expert/list.html", {"page_obj": page, "memberships": page.object_list})


def _panel_page(request, member, *, accept_form=None, decline_form=None, refused=(), status=200):
    """The expert's page of a panel. After a refused answer it is shown again (status 400) with the
    answer as it was given and why it was refused; once the invitation is answered the forms are
    gone, so a reason typed for declining is shown as text."""
    context = {"member": member, "panel": member.panel, "refused": list(refused)}
    if decline_form is not None and member.state != PanelMember.State.INVITED:
        context["typed_reason"] = decline_form.data.get("reason", "")
    if member.state == PanelMember.State.INVITED:
        context.update(
            accept_form=accept_form or AcceptForm(),
            decline_form=decline_form or DeclineForm(),
            declaration=services.declaration_text(member.panel, as_signed=False),
            entries=member.panel.panel_bases.select_related("base__host").order_by("pk"),
        )
    elif member.state == PanelMember.State.ACCEPTED:
        context["sheets"] = member_sheets(member)
    return render(request, "reviews/expert/panel.html", context, status=status)


@login_required
@require_GET
def my_panel(request, panel_id):
    return _panel_page(request, _membership(request, panel_id))


@login_required
@require_POST
def my_panel_answer(request, panel_id):
    member = _membership(request, panel_id)
    answer = request.POST.get("answer")
    accepting = answer == "accept"
    form = AcceptForm(request.POST) if accepting else DeclineForm(request.POST)
    try:
        if answer not in ("accept", "decline"):
            # Each of the page's two forms says which it is; anything else is not an answer.
            raise TransitionRefused(_("请选择接受或谢绝评审。"))
        if accepting:
            services.member_accept(actor=request.user, member=member, declared=form.is_valid())
        else:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.member_decline(actor=request.user, member=member, reason=reason)
    except (TransitionRefused, PermissionRefused) as exc:
        forms = {"accept_form": form} if accepting else {"decline_form": form}
        return _panel_page(request, member, refused=[exc.message], status=400, **forms)
    if accepting:
        messages.success(request, _("您已签署无利益冲突声明，现在可以查阅评审材料并评分。"))
    else:
        messages.success(request, _("已谢绝本次评审，市科技局将另行抽取专家。"))
    return redirect("reviews:my_panel", panel_id=panel_id)


@login_required
@require_http_methods(["GET", "POST"])
def my_panel_conflict(request, panel_id):
    """Art. 8-2: the invited expert declares a conflict with units of the bases or another unit; it is
    recorded and the bureau draws a substitute. A refused declaration keeps what was typed."""
    member = _membership(request, panel_id)
    form = ConflictForm(request.POST or None, units=services.panel_units(member.panel))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_declare_conflict(
                actor=request.user,
                member=member,
                units=form.cleaned_data["units"],
                other=form.cleaned_data["other"],
                reason=form.cleaned_data["reason"],
            )
        except (TransitionRefused, PermissionRefused) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录您申报的利益冲突，市科技局将另行抽取专家。"))
            return redirect("reviews:my_panel", panel_id=panel_id)
    return render(
        request, "reviews/expert/conflict.html", {"member": member, "panel": member.panel, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_sheet(request, panel_id, entry_id):
    member = _membership(request, panel_id)
    if member.state != PanelMember.State.ACCEPTED:
        raise Http404
    entry = get_object_or_404(PanelBase.objects.select_related("base__host"), pk=entry_id, panel_id=panel_id)
    criteria = list(member.panel.criteria.all())
    sheet = ScoreSheet.objects.filter(member=member, entry=entry).prefetch_related("scores").first()
    initial = {}
    if sheet:
        initial = {"opinion": sheet.opinion, "recommendation": sheet.recommendation}
        initial.update({f"score_{s.criterion_id}": s.score for s in sheet.scores.all()})
    form = SheetForm(request.POST or None, criteria=criteria, initial=initial)
    locked = bool(sheet and sheet.is_submitted) or not member.panel.is_open
    if request.method == "POST" and not locked and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            sheet = services.sheet_save(
                actor=request.user,
                member=member,
                entry=entry,
                scores=form.scores(),
                opinion=form.cleaned_data["opinion"],
                recommendation=form.cleaned_data["recommendation"],
                submit=submit,
            )
        except (TransitionRefused, PermissionRefused) as exc:
            form.add_error(None, exc.message)
        else:
            if submit:
                messages.success(request, _("评分表已提交。"))
                return redirect("reviews:my_panel", panel_id=panel_id)
            messages.success(request, _("已保存草稿，可以继续修改。"))
            return redirect("reviews:my_sheet", panel_id=panel_id, entry_id=entry_id)
    scores = {s.criterion_id: s.score for s in sheet.scores.all()} if sheet else {}
    return render(
        request,
        "reviews/expert/sheet.html",
        {
            "member": member,
            "panel": member.panel,
            "entry": entry,
            "form": form,
            "sheet": sheet,
            "locked": locked,
            "scored": [(c, scores.get(c.pk)) for c in criteria],
        },
    )
