"""The bureau's screens of expert panels: scoring templates, forming a panel with its random draw,
substitutes, the score sheets and the conclusion (Art. 8-2).

Only the bureau (bases.review_pilotbase) reaches them; for anyone else they do not exist (404).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import Status
from bases.permissions import may_review
from bases.selectors import base_list_for
from portal.documents.excel import Column, excel_response
from portal.parameters import get_parameter
from portal.resilience import posted_text
from portal.views import form_to_service, pages_for, serve_minutes
from reviews.forms.panels import CriterionFormSet, PanelForm, SubstituteForm, TemplateForm
from reviews.models import Panel, PanelMember, PanelPurpose, ScoreSheet, ScoringTemplate
from reviews.selectors import panel_report
from reviews.services import panels as services

# Panels are the bureau's; for anyone else these pages do not exist (404).
_bureau_page = pages_for(may_review)


# --- scoring templates -----------------------------------------------------------------------------
@_bureau_page(require_GET)
def template_list(request):
    templates = ScoringTemplate.objects.prefetch_related("criteria")
    return render(request, "reviews/panels/templates.html", {"templates": templates})


@_bureau_page(require_http_methods(["GET", "POST"]))
def template_edit(request, pk=None):
    """Create or edit a template: its criteria with weights (adding up to 100) and maxima."""
    template = get_object_or_404(ScoringTemplate, pk=pk) if pk else None
    initial = (
        {
            "name": template.name,
            "purpose": template.purpose,
            "description": template.description,
            "is_active": template.is_active,
        }
        if template
        else {"purpose": PanelPurpose.ESTABLISHMENT, "is_active": True}
    )
    criteria = (
        [
            {"name": c.name, "guidance": c.guidance, "weight": c.weight, "max_score": c.max_score}
            for c in template.criteria.all()
        ]
        if template
        else []
    )
    form = TemplateForm(request.POST or None, initial=initial)
    formset = CriterionFormSet(request.POST or None, initial=criteria, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
        try:
            template = services.template_save(
                actor=request.user, template=template, criteria=rows, **form.cleaned_data
            )
        except (TransitionRefused, PermissionRefused) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存评分模板“%(name)s”。") % {"name": template.name})
            return redirect("reviews:template_list")
    return render(
        request, "reviews/panels/template_form.html", {"form": form, "formset": formset, "template": template}
    )


# --- panels ----------------------------------------------------------------------------------------
@_bureau_page(require_GET)
def panel_list(request):
    panels = Panel.objects.annotate(
        base_count=Count("panel_bases", distinct=True),
        accepted=Count("members", filter=Q(members__state=PanelMember.State.ACCEPTED), distinct=True),
        invited=Count("members", filter=Q(members__state=PanelMember.State.INVITED), distinct=True),
    ).order_by("-created_at", "-pk")
    state = request.GET.get("state")
    if state in Panel.State.values:
        panels = panels.filter(state=state)
    page = Paginator(panels, 20).get_page(request.GET.get("page"))
    waiting = base_list_for(request.user).filter(status=Status.PRELIMINARY_PASSED).count()
    return render(
        request,
        "reviews/panels/list.html",
        {
            "page_obj": page,
            "panels": page.object_list,
            "waiting": waiting,
            "state": state,
            "states": Panel.State,
        },
    )


@_bureau_page(require_http_methods(["GET", "POST"]))
def panel_new(request):
    """Form a panel for bases awaiting one (establishment review or acceptance) and draw its experts."""
    purpose = request.POST.get("purpose") or request.GET.get("purpose") or PanelPurpose.ESTABLISHMENT
    if purpose not in services.PANEL_SOURCE_STATE:
        raise Http404
    waiting = base_list_for(request.user).filter(status=services.PANEL_SOURCE_STATE[purpose])
    if purpose == PanelPurpose.ACCEPTANCE:
        waiting = waiting.filter(acceptanceapplications__state="supervisor_approved")
    if purpose == PanelPurpose.EVALUATION:  # self-evaluation received, not yet graded
        waiting = waiting.filter(evaluations__state="approved", evaluations__grade="").distinct()
    waiting = waiting.order_by("status_changed_at")
    initial = {
        "due_on": timezone.localdate() + timezone.timedelta(days=14),
        "count": 5,
        "purpose": purpose,
        "bases": list(waiting.values_list("pk", flat=True)) if request.GET.get("all") else [],
    }
    if request.GET.get("base"):
        initial["bases"] = [request.GET["base"]]
    template = ScoringTemplate.objects.filter(purpose=purpose, is_active=True).first()
    if template:
        initial["template"] = template.pk
    form = PanelForm(request.POST or None, bases=waiting, purpose=purpose, initial=initial)
    answer = form_to_service(
        request,
        form,
        lambda data: services.panel_form(
            actor=request.user,
            title=data["title"],
            purpose=data["purpose"],
            template=data["template"],
            bases=data["bases"],
            due_on=data["due_on"],
            specialties=list(data["specialties"]),
            count=data["count"],
            note=data["note"],
        ),
        refused=(TransitionRefused, PermissionRefused),
        done=lambda panel: (
            _("已组建专家组并随机抽取 %(n)d 名专家，已通知专家确认。") % {"n": panel.members.count()},
            reverse("reviews:panel_detail", kwargs={"pk": panel.pk}),
        ),
    )
    return answer or render(
        request,
        "reviews/panels/form.html",
        {"form": form, "waiting": waiting, "purpose": purpose, "purposes": PanelPurpose},
    )


def _panel_page(
    request, panel, *, substitute_form=None, conclude=None, refused=(), refused_at="", status=200
):
    """The panel's page. After a refused substitute draw or conclusion it is shown again (status 400)
    with the form as it was filled in and why it was refused, at the top and at the field."""
    report = panel_report(panel)
    comments, comment_errors = conclude or ({}, {})
    return render(
        request,
        "reviews/panels/detail.html",
        {
            "panel": panel,
            "report": report,
            "substitute_form": substitute_form
            or SubstituteForm(initial={"specialties": report.draw_specialties}),
            "conclude_rows": [
                (ev, comments.get(ev.entry.pk, ""), comment_errors.get(ev.entry.pk, ""))
                for ev in report.entries
            ],
            "refused": list(refused),
            "refused_at": refused_at,
            "threshold": get_parameter("review_pass_threshold"),
            "min_sheets": get_parameter("review_min_sheets"),
            "outlier_points": get_parameter("review_outlier_points"),
        },
        status=status,
    )


@_bureau_page(require_GET)
def panel_detail(request, pk):
    return _panel_page(request, get_object_or_404(Panel, pk=pk))


@_bureau_page(require_POST)
def panel_substitute(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    form = SubstituteForm(request.POST)
    if not form.is_valid():
        # A choice the page did not offer (a specialty retired since it was shown) is named, as
        # Django names an invalid choice, so the bureau sees what was sent.
        offered = {str(pk) for pk in form.fields["specialties"].queryset.values_list("pk", flat=True)}
        unknown = [value for value in request.POST.getlist("specialties") if value not in offered]
        refused = [
            _("所选专业领域无效：%(values)s。请重新选择。") % {"values": _("、").join(unknown)}
            if unknown
            else _("请选择替补专家的专业领域。")
        ]
    else:
        try:
            draw = services.panel_draw_substitutes(
                actor=request.user, panel=panel, specialties=list(form.cleaned_data["specialties"])
            )
        except (TransitionRefused, PermissionRefused) as exc:
            refused = [exc.message]
        else:
            messages.success(request, _("已抽取 %(n)d 名替补专家。") % {"n": len(draw.picked)})
            return redirect("reviews:panel_detail", pk=pk)
    return _panel_page(
        request, panel, substitute_form=form, refused=refused, refused_at="h-substitute", status=400
    )


@_bureau_page(require_POST)
def panel_conclude(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    comments, errors = {}, {}
    for entry in panel.panel_bases.all():
        try:
            comments[entry.pk] = posted_text(request, f"comment_{entry.pk}")
        except TransitionRefused as exc:
            comments[entry.pk], errors[entry.pk] = request.POST.get(f"comment_{entry.pk}", ""), exc.message
    minutes = request.FILES.get("minutes")
    try:
        if errors:
            raise TransitionRefused(next(iter(errors.values())))
        if minutes is None:
            # The conclusion rests on the panel's signed minutes: asked for before anything changes.
            raise TransitionRefused(_("请上传专家组评审会议纪要（PDF）后再形成结论。"))
        services.panel_conclude(actor=request.user, panel=panel, comments=comments, minutes=minutes)
    except (TransitionRefused, PermissionRefused) as exc:
        refused = [exc.message]
        if minutes is not None:
            # A browser never refills a file input: say so rather than let the minutes vanish silently.
            refused.append(_("所选会议纪要未保存，请在修改后重新选择文件。"))
        return _panel_page(
            request, panel, conclude=(comments, errors), refused=refused, refused_at="h-conclude", status=400
        )
    messages.success(request, _("专家组评审已完成，结论已通知依托单位和归口管理单位。"))
    return redirect("reviews:panel_detail", pk=pk)


@_bureau_page(require_GET)
def panel_minutes(request, pk):
    """The signed minutes of a panel's meeting: the bureau's only (reviews.models.PANEL_MINUTES_PURPOSE)."""
    return serve_minutes(Panel, pk)


@_bureau_page(require_GET)
def panel_export(request, pk):
    """The panel's score sheets as Excel: one row per base and expert, a column per criterion."""
    panel = get_object_or_404(Panel, pk=pk)
    criteria = list(panel.criteria.all())
    columns = [
        Column(_("中试基地"), 30),
        Column(_("专家"), 12),
        *(Column(c.name, 12) for c in criteria),
        Column(_("总分"), 10),
        Column(_("评审建议"), 12),
        Column(_("提交时间"), 18, "date"),
    ]
    sheets = (
        ScoreSheet.objects.filter(entry__panel=panel)
        .select_related("entry__base", "member__expert__user")
        .prefetch_related("scores")
        .order_by("entry__base__name", "member__pk")
    )

    def rows():
        for sheet in sheets:
            scores = {s.criterion_id: s.score for s in sheet.scores.all()}
            yield [
                sheet.entry.base.name,
                sheet.member.expert.user.full_name,
                *(scores.get(c.pk) for c in criteria),
                sheet.total,
                str(sheet.get_recommendation_display()) if sheet.recommendation else "",
                sheet.submitted_at,
            ]

    return excel_response("专家评分", _("专家评分"), columns, rows())
