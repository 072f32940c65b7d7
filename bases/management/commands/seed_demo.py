"""Demo data for a newcomer: organisations, a user for every role, and bases in every state the
portal implements so far, each reached through the services (so each has its log). Idempotent."""

from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from assessments.services import grading, reporting, triennial
from bases import services
from bases.demo import MINIMAL_PDF, fill_complete_application
from bases.imports import _import_row
from bases.jobs import revoke_unaccepted_after_extension
from bases.models import PilotBase
from bases.policy import RevocationReason
from bases.services import filings as filing_services
from bases.services import funds as fund_services
from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.accounts.services import organisation_get_or_create, user_create
from reviews.models import (
    ChecklistItem,
    Decision,
    Expert,
    MeetingOutcome,
    Panel,
    PanelMember,
    PublicNotice,
    ScoringTemplate,
    Specialty,
)
from reviews.services import members as member_services
from reviews.services import notices as notice_services
from reviews.services import panels as panel_services
from reviews.services.decisions import meeting_record
from reviews.services.preliminary import (
    preliminary_check_conclude,
    preliminary_check_open,
    preliminary_check_save,
)
from reviews.services.site_visits import site_visit_record

BUREAU = "忻州市科学技术局"
HOSTS = [
    # name, USCC, supervising unit, region
    ("忻州华晟新材料科技有限公司", "91140902MA0XY1A25X", "忻府区工信和科技局", "xinfu"),
    ("原平市晋北农产品加工股份有限公司", "91140981MA0Y3B4C8N", "原平市工信和科技局", "yuanping"),
    ("定襄县金鼎锻造装备有限公司", "91140921MA0K5D6E00", "定襄县工信和科技局", "dingxiang"),
]
# Experts 6 and 7 work at the demo bases' technical backing institution: the draw excludes them.
EXPERT_ORGS = ["太原理工大学", "忻州师范学院"]
# Art. 8-2 by the organisation tree: expert 8 works at a school of that institution (its parent in the
# tree), so every draw excludes them too, with the reason "所在单位隶属于技术依托单位". Expert 9 (化工 only)
# is the substitute drawn after expert 5 declares a conflict on the 石墨烯 panel.
SCHOOL = ("忻州师范学院化学与化工学院", "忻州师范学院")

USERS = [
    # username, full name, organisation, role
    ("admin", "系统管理员", BUREAU, Role.ADMIN),
    ("bureau", "张科长", BUREAU, Role.BUREAU_STAFF),
    ("xinfu", "忻府区科技股", "忻府区工信和科技局", Role.SUPERVISOR),
    ("yuanping", "原平市科技股", "原平市工信和科技局", Role.SUPERVISOR),
    ("dingxiang", "定襄县科技股", "定襄县工信和科技局", Role.SUPERVISOR),
    ("host", "刘工（基地人员）", HOSTS[0][0], Role.BASE_STAFF),
    ("host_approver", "陈总（依托单位审核人）", HOSTS[0][0], Role.HOST_APPROVER),
    ("host2", "赵工（基地人员）", HOSTS[1][0], Role.BASE_STAFF),
    ("host2_approver", "孙总（依托单位审核人）", HOSTS[1][0], Role.HOST_APPROVER),
    ("host3", "周工（基地人员）", HOSTS[2][0], Role.BASE_STAFF),
    ("host3_approver", "吴总（依托单位审核人）", HOSTS[2][0], Role.HOST_APPROVER),
    *[(f"expert{i}", f"专家{i}", EXPERT_ORGS[i > 5], Role.EXPERT) for i in range(1, 8)],
    ("expert8", "专家8", SCHOOL[0], Role.EXPERT),
    ("expert9", "专家9", EXPERT_ORGS[0], Role.EXPERT),
]


PASSED = ["submit", "recommend", "preliminary_pass"]
REVIEWED = [*PASSED, "start_expert_review", "review_pass"]
DECIDED = [*REVIEWED, "publish_notice", "clear_notice"]
DEMO_MINUTES = "演示-2026-1"
# Recognised under the earlier rules and imported (bases.imports): the bases with a history.
LEGACY = [("忻州市煤系固废利用中试基地", "煤系固废利用"), ("忻州市重型锻件中试基地", "重型锻件")]
LEGACY_RECOGNIZED_ON = date(2022, 6, 1)


class Command(BaseCommand):
    help = "创建演示数据（单位、各角色用户、各状态的基地）。仅限 DEBUG=true 的开发环境；可重复运行。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在开发演示环境（DEBUG=true）中运行，生产环境不得创建演示账号。")
        password = settings.DEMO_PASSWORD
        # Demo notifications are kept in the notification centre but not e-mailed to the console.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            orgs = self._organisations()
            users = self._users(orgs, password)
            self._experts(users)
            made = self._bases(users)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：新建基地 {made} 个。"))
        self.stdout.write(f"演示账号（密码均为 {password}）：")
        for username, full_name, org, role in USERS:
            self.stdout.write(f"  {username:<15} {Role(role).label:<10} {org}  {full_name}")

    def _organisations(self) -> dict[str, Organisation]:
        orgs = {o.name: o for o in Organisation.objects.filter(kind__in=["supervisor", "bureau"])}
        missing = [n for n in [BUREAU, *[h[2] for h in HOSTS]] if n not in orgs]
        if missing:
            raise CommandError(f"缺少基础单位数据 {missing}，请先运行 python manage.py migrate。")
        for name, uscc, supervisor, region in HOSTS:
            orgs[name], _ = organisation_get_or_create(
                name=name,
                kind=OrganisationKind.HOST_UNIT,
                uscc=uscc,
                supervising_unit=orgs[supervisor],
                region=region,
                address=f"{orgs[supervisor].get_region_display()}工业园区",
                contact_name="办公室",
                contact_phone="0350-0000000",
            )
        for name in EXPERT_ORGS:
            orgs[name], _ = organisation_get_or_create(name=name, kind=OrganisationKind.OTHER)
        orgs[SCHOOL[0]], _ = organisation_get_or_create(
            name=SCHOOL[0], kind=OrganisationKind.OTHER, parent=orgs[SCHOOL[1]]
        )
        return orgs

    def _users(self, orgs, password) -> dict[str, User]:
        users = {}
        for username, full_name, org, role in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    password=password,
                    organisation=orgs[org],
                    role=role,
                    full_name=full_name,
                    email=f"{username}@example.cn",
                    is_staff=role == Role.ADMIN,
                )
            users[username] = user
        return users

    def _experts(self, u) -> None:
        """The demo experts' pool profiles (新材料 and 现代农业与食品加工, so that every demo base finds
        a panel)."""
        fields = [Specialty.objects.get(name="新材料"), Specialty.objects.get(name="现代农业与食品加工")]
        for i in range(1, 10):
            user = u[f"expert{i}"]
            if not Expert.objects.filter(user=user).exists():
                expert = Expert.objects.create(
                    user=user,
                    title=["教授", "研究员", "高级工程师"][i % 3],
                    affiliation=user.organisation,
                    phone=f"1390350000{i}",
                    email=user.email,
                )
                expert.specialties.set(fields if i != 9 else [Specialty.objects.get(name="化工")])

    def _bases(self, u) -> int:
        """One base per state reachable so far; later issues add the later states."""
        plan = [
            ("忻州市先进碳材料中试基地", "先进碳材料", "host", []),
            ("忻州市高性能合金中试基地", "高性能合金", "host", ["submit"]),
            ("忻州市储能材料中试基地", "储能材料", "host", ["submit", "supervisor_return"]),
            ("忻州市特种陶瓷中试基地", "特种陶瓷", "host", ["submit", "recommend"]),
            ("忻州市光伏材料中试基地", "光伏材料", "host", ["submit", "recommend", "preliminary_pass"]),
            ("忻州市磁性材料中试基地", "磁性材料", "host", ["submit", "recommend", "preliminary_return"]),
            ("忻州市杂粮深加工中试基地", "杂粮深加工", "host2", ["submit"]),
            ("忻州市功能食品中试基地", "功能食品", "host2", ["submit", "decline"]),
            (
                "忻州市中药材提取中试基地",
                "中药材提取",
                "host2",
                ["submit", "recommend", "preliminary_reject"],
            ),
            ("忻州市锻造装备中试基地", "锻造装备", "host3", ["withdraw"]),
            ("忻州市石墨烯中试基地", "石墨烯", "host", [*PASSED, "start_expert_review"]),
            (
                "忻州市小杂粮饮品中试基地",
                "小杂粮饮品",
                "host2",
                [*PASSED, "start_expert_review", "review_pass"],
            ),
            ("忻州市精密铸造中试基地", "精密铸造", "host3", [*REVIEWED, "publish_notice"]),
            ("忻州市氢能储运中试基地", "氢能储运", "host", [*REVIEWED, "publish_notice", "clear_notice"]),
            (
                "忻州市生物基材料中试基地",
                "生物基材料",
                "host",
                [*REVIEWED, "publish_notice", "clear_notice", "approve"],
            ),
            # after approval; "approve:N" = approved N days ago
            (
                "忻州市半导体封装材料中试基地",
                "半导体封装材料",
                "host",
                [*DECIDED, "approve:300", "task_book"],
            ),
            (
                "忻州市高纯石英中试基地",
                "高纯石英",
                "host",
                [*DECIDED, "approve:740", "task_book", "acceptance"],
            ),
            (
                "忻州市煤基新材料中试基地",
                "煤基新材料",
                "host",
                [*DECIDED, "approve:750", "task_book", "acceptance", "accept:pass", "disburse"],
            ),
            (
                "忻州市农产品冷链中试基地",
                "农产品冷链",
                "host2",
                [*DECIDED, "approve:745", "task_book", "acceptance", "accept:fail"],
            ),
            (
                "忻州市锻压装备中试基地",
                "锻压装备",
                "host3",
                [*DECIDED, "approve:760", "task_book", "acceptance", "accept:pass", "legal_entity"],
            ),
            # Art. 8-4: the acceptance panel is formed and has not concluded yet (验收评审中)
            (
                "忻州市环保装备中试基地",
                "环保装备",
                "host3",
                [*DECIDED, "approve:735", "task_book", "acceptance", "accept:open"],
            ),
            # Art. 14: after its host unit changed, the base was recognised again; the old record is
            # superseded by the new one (已重新认定)
            (
                "忻州市智能焊接中试基地",
                "智能焊接",
                "host2",
                [
                    *DECIDED,
                    "approve:770",
                    "task_book",
                    "acceptance",
                    "accept:pass",
                    "legal_entity",
                    "re_recognise",
                ],
            ),
            # Art. 8-4: an acceptance application left as a draft past the window holds nothing — the
            # daily job revokes the base (its log names the rule)
            (
                "忻州市稀土永磁中试基地",
                "稀土永磁",
                "host3",
                [*DECIDED, "approve:800", "task_book", "acceptance_draft", "daily_rule"],
            ),
        ]
        made = 0
        for name, direction, owner, steps in plan:
            staff = u[owner]
            if PilotBase.objects.filter(name=name, host=staff.organisation).exists():
                continue
            approver = u[f"{owner}_approver"]
            supervisor = User.objects.filter(
                organisation=staff.organisation.supervising_unit, role=Role.SUPERVISOR
            ).first()
            base = services.base_create_draft(actor=staff, name=name, rd_direction=direction)
            if steps:
                base = fill_complete_application(actor=staff, base=base, joint=direction == "特种陶瓷")
            for step in steps:
                self._step(step, base, approver, supervisor, u["bureau"])
            made += 1
        if made:
            self._legacy_bases(u)
            self._operation_history(u)
            self._declared_conflict(u)
            self._triennial_evaluation(u)
        return made

    def _step(self, step, base, approver, supervisor, bureau):
        s = services
        if step == "submit":
            s.base_submit(actor=approver, base=base)
        elif step == "supervisor_return":
            s.base_supervisor_return(actor=supervisor, base=base, reason="请补充近三年财务审计报告。")
        elif step == "recommend":
            letter = ContentFile(MINIMAL_PDF, name="推荐函.pdf")
            s.base_recommend(actor=supervisor, base=base, letter=letter, comment="同意推荐。")
        elif step == "decline":
            s.base_decline(actor=supervisor, base=base, reason="核心技术尚不具备行业引领性。")
        elif step == "preliminary_pass":
            self._checklist(bureau, base, Decision.PASS, {}, "形式审查合格。")
        elif step == "preliminary_return":
            problems = {ChecklistItem.EQUIPMENT: "设备清单缺少计量检定证书。"}
            self._checklist(bureau, base, Decision.RETURN, problems, "请补充后重新提交。")
        elif step == "preliminary_reject":
            problems = {ChecklistItem.ENVIRONMENT: "环评批复已过期，不符合第七条第（七）项。"}
            self._checklist(bureau, base, Decision.REJECT, problems, "不符合环保要求，初审不通过。")
        elif step == "withdraw":
            s.base_withdraw(actor=approver, base=base, reason="单位战略调整，暂不申报。")
        elif step == "start_expert_review":
            self._panel(bureau, base)
        elif step == "review_pass":
            self._score_and_conclude(bureau, base)
        elif step == "publish_notice":
            self._notice(bureau, base)
        elif step == "clear_notice":
            notice = PublicNotice.objects.get(entries__base=base)
            notice_services.notice_close(actor=bureau, notice=notice)
        elif step.startswith("approve:"):
            held_on = timezone.localdate() - timedelta(days=int(step.split(":")[1]))
            # The demo's application went in the year of its (back-dated) decision, not the seeding day.
            PilotBase.objects.filter(pk=base.pk).update(application_year=held_on.year)
            meeting_record(
                actor=bureau,
                held_on=held_on,
                minutes_no=f"演示-{held_on:%Y%m%d}-{base.pk}",
                decisions={base.pk: (MeetingOutcome.APPROVE, "")},
                minutes=SimpleUploadedFile("局党组会议纪要.pdf", MINIMAL_PDF, "application/pdf"),
            )
        elif step in ("task_book", "acceptance", "legal_entity"):
            self._filing(step, base, approver, supervisor, bureau)
        elif step == "acceptance_draft":
            base.refresh_from_db()
            filing_services.filing_create(
                actor=User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first(),
                base=base,
                kind="acceptance",
                data={"summary": "建设任务基本完成，材料整理中。", "outputs": "", "fund_usage": ""},
                today=base.construction_deadline,
            )
        elif step == "daily_rule":
            revoke_unaccepted_after_extension(as_of=timezone.localdate())
        elif step == "accept:open":
            self._acceptance_panel_formed(bureau, base)
        elif step == "re_recognise":
            self._re_recognise(base, approver, supervisor, bureau)
        elif step.startswith("accept:"):
            self._acceptance_panel(bureau, base, passed=step.endswith("pass"))
        elif step == "disburse":
            self._disburse(bureau, base, approver)
        elif step == "approve":
            meeting_record(
                actor=bureau,
                held_on=timezone.localdate(),
                minutes_no=DEMO_MINUTES,
                decisions={base.pk: (MeetingOutcome.APPROVE, "")},
                minutes=SimpleUploadedFile("局党组会议纪要.pdf", MINIMAL_PDF, "application/pdf"),
            )
        elif step == "revoke":
            s.base_revoke(actor=bureau, base=base, reason_code=RevocationReason.BUREAU_DECISION)
        else:
            raise CommandError(f"unknown demo step {step}")

    def _panel(self, bureau, base) -> Panel:
        """Art. 8-2: a panel of five experts drawn for the base (a fixed seed keeps the demo stable)."""
        return panel_services.panel_form(
            actor=bureau,
            title=f"{base.name}建设评审",
            purpose="establishment",
            template=ScoringTemplate.objects.filter(purpose="establishment", is_active=True).first(),
            bases=[base],
            due_on=timezone.localdate() + timedelta(days=14),
            specialties=list(Specialty.objects.filter(name__in=["新材料", "现代农业与食品加工"])),
            count=5,
            seed=20260101 + base.pk,
        )

    def _score_and_conclude(self, bureau, base) -> None:
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
            minutes=SimpleUploadedFile("专家组评审会议纪要.pdf", MINIMAL_PDF, "application/pdf"),
        )

    def _notice(self, bureau, base) -> PublicNotice:
        """Art. 8-3: a notice of 7 working days. The base that stays in notice gets a running notice
        with one objection waiting; the others' notices ran a month ago, so they can be closed."""
        today = timezone.localdate()
        start = today if base.name == "忻州市精密铸造中试基地" else today - timedelta(days=40)
        notice = notice_services.notice_publish(
            actor=bureau,
            title=f"{start.year}年度忻州市中试基地拟立项建设名单公示（{base.rd_direction}）",
            body="经依托单位申请、归口管理单位推荐、市科技局初审和专家评审，拟同意下列基地立项建设，现予公示。",
            starts_on=start,
            working_days=7,
            bases=[base],
            contact="市科技局成果转化科 0350-0000000",
            today=start,
        )
        if start == today:
            notice_services.objection_lodge(
                notice=notice,
                entry_id=notice.entries.get().pk,
                name="王建国",
                organisation="某铸造企业",
                phone="13900000000",
                email="",
                content="该基地申报的部分中试设备系租赁所得，与申请书所述自有设备不符，请核查。",
            )
        return notice

    def _filing(self, kind, base, approver, supervisor, bureau) -> None:
        """The host files, its approver submits, the supervisor approves, the bureau approves — dated
        so that the demo's construction clock is where the plan says."""
        base.refresh_from_db()
        staff = User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first()
        if kind == "task_book":
            today = base.approved_on + timedelta(days=20)
            data = {
                "goals": "建成中试线一条，形成年中试验证能力 20 项。",
                "construction_content": "中试车间改造、关键设备购置安装与调试、检测平台建设。",
                "staffing": "基地负责人 1 名，技术骨干 12 名，新增技术工人 6 名。",
                "equipment_plan": "连续化反应装置一套，在线检测系统一套。",
                "expected_outputs": "完成中试项目 10 项，申请发明专利 5 件，服务企业 20 家。",
            }
            milestones = [
                {
                    "year": base.approved_on.year,
                    "content": "完成车间改造和设备招标。",
                    "self_raised_wan": 300,
                },
                {
                    "year": base.approved_on.year + 1,
                    "content": "设备安装调试，开展首批中试。",
                    "self_raised_wan": 500,
                },
            ]
            kind_key = "task-book"
        elif kind == "acceptance":
            today = min(base.construction_deadline + timedelta(days=5), timezone.localdate())
            data = {
                "summary": "任务书确定的年度建设任务已全部完成。",
                "outputs": "完成中试项目 12 项，申请发明专利 6 件。",
                "fund_usage": "自筹资金 800 万元全部到位并按计划使用。",
            }
            milestones, kind_key = None, "acceptance"
        else:
            today = timezone.localdate()
            data = {"kind": "legal_entity", "report": "依托单位完成股份制改革，法人主体变更。"}
            milestones, kind_key = None, "change"
        filing = filing_services.filing_create(
            actor=staff, base=base, kind=kind_key, data=data, milestones=milestones, today=today
        )
        filing_services.filing_step(actor=approver, filing=filing, action="submit", today=today)
        filing_services.filing_step(actor=supervisor, filing=filing, action="supervisor_approve", today=today)
        if kind != "acceptance":
            filing_services.filing_step(actor=bureau, filing=filing, action="approve", today=today)

    def _acceptance_panel(self, bureau, base, passed: bool) -> None:
        """Art. 8-4: an acceptance panel of three drawn experts scores the base and concludes."""
        base.refresh_from_db()
        self._scored_panel(
            bureau,
            base,
            purpose="acceptance",
            title=f"{base.name}验收",
            seed=20260201 + base.pk,
            score="9" if passed else "5",
            opinion="建设任务完成，建议通过验收。" if passed else "主要建设任务未完成，建议不予通过。",
            recommendation="pass" if passed else "fail",
        )

    def _acceptance_panel_formed(self, bureau, base) -> Panel:
        """Art. 8-4: the bureau forms the acceptance panel; the experts have not scored yet."""
        base.refresh_from_db()
        return panel_services.panel_form(
            actor=bureau,
            title=f"{base.name}验收",
            purpose="acceptance",
            template=ScoringTemplate.objects.filter(purpose="acceptance", is_active=True).first(),
            bases=[base],
            due_on=timezone.localdate() + timedelta(days=10),
            specialties=list(Specialty.objects.filter(name__in=["新材料", "现代农业与食品加工"])),
            count=3,
            seed=20260501 + base.pk,
        )

    def _re_recognise(self, base, approver, supervisor, bureau) -> None:
        """Art. 14: the host starts the re-recognition after the change; it is recommended, reviewed,
        publicly noticed and decided like an application, and the old record is superseded."""
        base.refresh_from_db()
        staff = User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first()
        successor = services.base_start_re_recognition(actor=staff, predecessor=base)
        # The evidence of the conditions is filed anew for the new host unit (Art. 7, 14).
        successor = fill_complete_application(actor=staff, base=successor)
        for step in [*DECIDED, "approve:0"]:
            self._step(step, successor, approver, supervisor, bureau)

    def _legacy_bases(self, u) -> None:
        """Two bases recognised on 2022-06-01 under the earlier rules (忻科规〔2020〕1号), imported as the
        bureau would import its roster: their operation history (annual reports 2022 on, Art. 15) and
        their first triennial evaluation (Art. 17) come before these Measures took effect."""
        supervisors = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR)}
        for (name, direction), (host, uscc, supervisor, _region) in zip(
            LEGACY, [HOSTS[0], HOSTS[2]], strict=True
        ):
            problems = _import_row(
                u["bureau"],
                {
                    "name": name,
                    "rd_direction": direction,
                    "host": host,
                    "uscc": uscc,
                    "supervisor": supervisor,
                    "recognized_on": LEGACY_RECOGNIZED_ON,
                    "document_no": "忻科发〔2022〕15号",
                },
                supervisors,
                timezone.localdate(),
            )
            if problems:
                raise CommandError(f"demo legacy base {name}: {problems}")

    def _scored_panel(self, bureau, base, *, purpose, title, seed, score, opinion, recommendation) -> Panel:
        """A panel of three drawn experts for one base: each accepts, submits a sheet, the bureau
        concludes (Art. 8-4 acceptance, Art. 17 evaluation)."""
        panel = panel_services.panel_form(
            actor=bureau,
            title=title,
            purpose=purpose,
            template=ScoringTemplate.objects.filter(purpose=purpose, is_active=True).first(),
            bases=[base],
            due_on=timezone.localdate() + timedelta(days=7),
            specialties=list(Specialty.objects.filter(name__in=["新材料", "现代农业与食品加工"])),
            count=3,
            seed=seed,
        )
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
            minutes=SimpleUploadedFile("专家组评审会议纪要.pdf", MINIMAL_PDF, "application/pdf"),
        )
        return panel

    def _disburse(self, bureau, base, approver) -> None:
        """The award is disbursed and the host books a first expenditure in each category."""
        base.refresh_from_db()
        award = base.award
        paid_on = timezone.localdate() - timedelta(days=3)
        fund_services.award_disburse(
            actor=bureau,
            award=award,
            disbursed_on=paid_on,
            voucher_no="忻科拨〔2026〕8号",
            amount=award.amount,
        )
        staff = User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first()
        for category, amount, payee in [
            ("construction", "86000.00", "忻州市建工集团"),
            ("research", "45000.00", "太原理工大学"),
            ("cooperation", "8800.00", "山西省中试技术联盟"),
        ]:
            fund_services.ledger_record(
                actor=staff,
                base=base,
                direction="expenditure",
                entry_on=timezone.localdate(),
                amount=amount,
                payee=payee,
                category=category,
            )

    def _operation_history(self, u) -> None:
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
                supervisor = User.objects.filter(
                    organisation=host.supervising_unit, role=Role.SUPERVISOR
                ).first()
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

    def _declared_conflict(self, u) -> None:
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

    def _triennial_evaluation(self, u) -> None:
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
        panel = self._scored_panel(
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
            minutes=SimpleUploadedFile("三年评估会议纪要.pdf", MINIMAL_PDF, "application/pdf"),
        )
        site_visit_record(
            actor=bureau,
            base=base,
            purpose="evaluation",
            visited_on=held_on,
            participants="市科技局张科长，评估专家组三名专家",
            findings="中试线运行正常，设备完好，台账齐全。",
        )

    def _checklist(self, bureau, base, decision, problems, comment):
        """The bureau's preliminary review on its checklist (Art. 8-2), as a person would run it."""
        check = preliminary_check_open(actor=bureau, base=base)
        items = {key: (key not in problems, problems.get(key, "")) for key in ChecklistItem.values}
        preliminary_check_save(actor=bureau, check=check, items=items, comment=comment)
        preliminary_check_conclude(actor=bureau, check=check, decision=decision, comment=comment)
