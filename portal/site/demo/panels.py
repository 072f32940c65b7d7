"""The demo's expert panels: drawn with a fixed seed (so the demo is the same on every run), each
expert accepts and scores, the bureau concludes with signed minutes."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.site.demo.application import DEMO_PDF
from reviews.models import Panel, PanelMember, ScoringTemplate, Specialty
from reviews.services import members as member_services
from reviews.services import panels as panel_services


def drawn_panel(bureau, base, *, purpose: str, title: str, days: int, count: int, seed: int) -> Panel:
    """A panel for one base, drawn from the demo's two specialties with a fixed seed (so the demo is
    the same on every run), due in `days`."""
    return panel_services.panel_form(
        actor=bureau,
        title=title,
        purpose=purpose,
        template=ScoringTemplate.objects.filter(purpose=purpose, is_active=True).first(),
        bases=[base],
        due_on=timezone.localdate() + timedelta(days=days),
        specialties=list(Specialty.objects.filter(name__in=["新材料", "现代农业与食品加工"])),
        count=count,
        seed=seed,
    )


def establishment_panel(bureau, base) -> Panel:
    """Art. 8-2: a panel of five experts drawn for the base."""
    title = f"{base.name}建设评审"
    return drawn_panel(
        bureau, base, purpose="establishment", title=title, days=14, count=5, seed=20260101 + base.pk
    )


def score_and_conclude(bureau, base) -> None:
    """Every drawn expert declares and scores; the bureau concludes (a pass)."""
    panel = Panel.objects.get(panel_bases__base=base)
    entry = panel.panel_bases.get(base=base)
    for n, member in enumerate(panel.members.select_related("expert__user")):
        member_services.member_accept(actor=member.expert.user, member=member, declared=True)
        scores = {c.pk: str(min(c.max_score, 7 + (n + c.position) % 3)) for c in panel.criteria.all()}
        member_services.sheet_save(
            actor=member.expert.user,
            member=PanelMember.objects.get(pk=member.pk),
            entry=entry,
            scores=scores,
            opinion="基础条件较好，技术依托单位实力较强，建议支持建设。",
            recommendation="pass",
            submit=True,
        )
    panel_services.panel_conclude(
        actor=bureau,
        panel=panel,
        minutes=SimpleUploadedFile("专家组评审会议纪要.pdf", DEMO_PDF, "application/pdf"),
    )


def scored_panel(bureau, base, *, purpose, title, seed, score, opinion, recommendation) -> Panel:
    """A panel of three drawn experts for one base: each accepts, submits a sheet, the bureau
    concludes (Art. 8-4 acceptance, Art. 17 evaluation)."""
    panel = drawn_panel(bureau, base, purpose=purpose, title=title, days=7, count=3, seed=seed)
    entry = panel.panel_bases.get()
    for member in panel.members.select_related("expert__user"):
        member_services.member_accept(actor=member.expert.user, member=member, declared=True)
        member_services.sheet_save(
            actor=member.expert.user,
            member=PanelMember.objects.get(pk=member.pk),
            entry=entry,
            scores={c.pk: score for c in panel.criteria.all()},
            opinion=opinion,
            recommendation=recommendation,
            submit=True,
        )
    panel_services.panel_conclude(
        actor=bureau,
        panel=panel,
        minutes=SimpleUploadedFile("专家组评审会议纪要.pdf", DEMO_PDF, "application/pdf"),
    )
    return panel
