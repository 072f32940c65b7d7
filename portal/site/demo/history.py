"""The demo's history: two bases recognised in 2022 under the earlier rules and imported, with their
annual reports and grades since (Art. 15–16) and their first triennial evaluation (Art. 17); and a
conflict of interest declared on a drawn panel (Art. 8-2)."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.utils import timezone

from assessments.services import grading, reporting, triennial
from bases.imports import legacy_import_row
from bases.services import filings as filing_services
from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.site.demo.application import DEMO_PDF
from portal.site.demo.panels import scored_panel
from portal.site.demo.people import HOSTS
from reviews.models import Panel, Specialty
from reviews.services import members as member_services
from reviews.services import panels as panel_services
from reviews.services.site_visits import site_visit_record

# Recognised under the earlier rules and imported (bases.imports): the bases with a history.
LEGACY = [("忻州市煤系固废利用中试基地", "煤系固废利用"), ("忻州市重型锻件中试基地", "重型锻件")]
LEGACY_RECOGNIZED_ON = date(2022, 6, 1)


def legacy_bases(u) -> None:
    """Two bases recognised on 2022-06-01 under the earlier rules (忻科规〔2020〕1号), imported as the
    bureau would import its roster: their operation history (annual reports 2022 on, Art. 15) and
    their first triennial evaluation (Art. 17) come before these Measures took effect."""
    supervisors = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR)}
    for (name, direction), (host, uscc, supervisor, _region) in zip(
        LEGACY, [HOSTS[0], HOSTS[2]], strict=True
    ):
        problems = legacy_import_row(
            actor=u["bureau"],
            values={
                "name": name,
                "rd_direction": direction,
                "host": host,
                "uscc": uscc,
                "supervisor": supervisor,
                "recognized_on": LEGACY_RECOGNIZED_ON,
                "document_no": "忻科发〔2022〕15号",
            },
            supervisors=supervisors,
            today=timezone.localdate(),
        )
        if problems:
            raise CommandError(f"demo legacy base {name}: {problems}")


def operation_history(u) -> None:
    """Annual reports and grades from 2022 (Art. 15–16) of the two bases recognised in 2022 (LEGACY),
    published up to the year before last; last year's round is open on the seeding day, its reports
    drafts, so that a newcomer can file and grade one at once. 煤系固废利用 is graded well (优秀 in the
    last graded year, a provincial candidate); 重型锻件's last grade is 不合格, one more 不合格 away
    from revocation (Art. 16)."""
    bureau = u["bureau"]
    last_year = timezone.localdate().year - 1
    graded = list(range(2022, last_year))
    grades = {
        LEGACY[0][0]: ["good", "pass", "good", "good", "excellent"],
        LEGACY[1][0]: ["pass", "basic_pass", "pass", "pass", "fail"],
    }
    # The latest grades end the history, however many years it has on the seeding day.
    plan = {name: (["pass"] * len(graded) + values)[-len(graded) :] for name, values in grades.items()}
    for index, year in enumerate(graded):
        report_round = reporting.round_open(actor=bureau, year=year, today=date(year + 1, 1, 5))
        for report in report_round.reports.select_related("base__host"):
            host = report.base.host
            staff = User.objects.filter(organisation=host, role=Role.BASE_STAFF).first()
            approver = User.objects.filter(organisation=host, role=Role.HOST_APPROVER).first()
            supervisor = User.objects.filter(organisation=host.supervising_unit, role=Role.SUPERVISOR).first()
            filing_services.filing_update(
                actor=staff,
                filing=report,
                data={
                    "summary": f"{year}年完成中试项目 {4 + index} 项，服务企业 {10 + index * 3} 家。",
                    "projects": 4 + index,
                    "patents": index + 1,
                    "enterprises_served": 10 + index * 3,
                    "pilot_runs": 6 + index,
                    "staff": 18 + index,
                    "plan": f"{year + 1}年计划完成中试项目 {5 + index} 项。",
                },
            )
            for actor, action in [
                (approver, "submit"),
                (supervisor, "supervisor_approve"),
                (bureau, "approve"),
            ]:
                filing_services.filing_step(
                    actor=actor, filing=report, action=action, today=date(year + 1, 1, 20)
                )
            value = plan[report.base.name][index]
            grading.grade_record(
                actor=bureau,
                report=report,
                grade=value,
                score={"excellent": 92, "good": 84, "pass": 75, "basic_pass": 65, "fail": 52}[value],
                note="运行不正常，中试服务明显减少。" if value == "fail" else "",
                provincial_candidate=value == "excellent",
                today=date(year + 1, 3, 20),
            )
        grading.round_publish(actor=bureau, report_round=report_round)
    reporting.round_open(actor=bureau, year=last_year)


def declared_conflict(u) -> None:
    """Art. 8-2: on the 石墨烯 panel expert 5 declares a conflict with the host unit that the draw
    could not see (a past advisory role); the bureau draws the substitute (expert 9), whose draw
    record shows the declaration and re-verifies from its seed."""
    panel = Panel.objects.get(panel_bases__base__name="忻州市石墨烯中试基地")
    member = panel.members.select_related("expert__user").get(expert__user=u["expert5"])
    host = next(unit for unit in member_services.panel_units(panel) if unit.role == "host")
    member_services.member_declare_conflict(
        actor=u["expert5"],
        member=member,
        units=[host.key],
        other="",
        reason="本人曾任该公司技术顾问（2023—2024年）。",
    )
    panel_services.panel_draw_substitutes(
        actor=u["bureau"],
        panel=panel,
        specialties=list(Specialty.objects.filter(name__in=["新材料", "化工"])),
        seed=20260301,
    )


def triennial_evaluation(u) -> None:
    """Art. 17: the 2025 evaluation round (the two bases recognised on 2022-06-01 are due). 煤系固废利用
    has its self-evaluation approved, a meeting review by a concluded evaluation panel with signed
    minutes, and a site inspection: ready to be graded. 重型锻件 shows what is still missing."""
    bureau = u["bureau"]
    evaluation_round = triennial.evaluation_round_open(actor=bureau, year=2025)
    evaluation = evaluation_round.evaluations.select_related("base__host").get(base__name=LEGACY[0][0])
    base, host = evaluation.base, evaluation.base.host
    filing_services.filing_update(
        actor=User.objects.filter(organisation=host, role=Role.BASE_STAFF).first(),
        filing=evaluation,
        data={"self_evaluation": "三年来完成中试项目 22 项，服务企业 51 家，中试线运行正常。"},
    )
    for actor, action in [
        (User.objects.filter(organisation=host, role=Role.HOST_APPROVER).first(), "submit"),
        (
            User.objects.filter(organisation=host.supervising_unit, role=Role.SUPERVISOR).first(),
            "supervisor_approve",
        ),
        (bureau, "approve"),
    ]:
        filing_services.filing_step(actor=actor, filing=evaluation, action=action)
    panel = scored_panel(
        bureau,
        base,
        purpose="evaluation",
        title=f"{base.name}三年评估会议评审",
        seed=20260401 + base.pk,
        score="8",
        opinion="运行规范，中试服务成效明显。",
        recommendation="pass",
    )
    held_on = timezone.localdate() - timedelta(days=2)
    triennial.evaluation_meeting_record(
        actor=bureau,
        evaluation=evaluation,
        panel=panel,
        held_on=held_on,
        opinion="会议评审认为该基地三年运行良好，建议评为良好。",
        minutes=SimpleUploadedFile("三年评估会议纪要.pdf", DEMO_PDF, "application/pdf"),
    )
    site_visit_record(
        actor=bureau,
        base=base,
        purpose="evaluation",
        visited_on=held_on,
        participants="市科技局张科长，评估专家组三名专家",
        findings="中试线运行正常，设备完好，台账齐全。",
    )
