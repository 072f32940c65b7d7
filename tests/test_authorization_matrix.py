"""The authorization matrix: every URL of the portal × every role (and anonymous) × in scope / out of
scope, asserting the status code and that no out-of-scope data appears.

Adding a URL without adding it here fails `test_every_url_is_in_the_matrix`.
"""

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bases.models import Status
from bases.services import evidence_attach
from reviews.models import Specialty
from reviews.services.experts import expert_create
from tests.factories import PEOPLE, PilotBaseFactory
from tests.uploads import pdf

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", *PEOPLE]
SIGNED_IN = ROLES[1:]


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=302):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed: set[str], ok=200, otherwise=404):
    return {"anonymous": 302, **{r: ok if r in allowed else otherwise for r in SIGNED_IN}}


VIEWERS_OF_A = {"staff_a", "approver_a", "supervisor_a", "bureau", "admin"}


@dataclass
class Case:
    name: str
    args: object = None  # callable(world) -> list
    expect: dict = field(default_factory=dict)
    leak: object = None  # callable(world) -> str that must not appear where the answer is not 200


MATRIX = [
    Case("home", expect=everyone(200)),
    Case("healthz", expect=everyone(200)),
    Case("workspace", expect=signed_in(200)),
    Case("dashboard", expect={**signed_in(200), "expert": 404}),
    Case("measures", expect=everyone(200)),
    Case("contact", expect=everyone(200)),
    Case("guide_index", expect=everyone(200)),
    Case("guide", lambda w: ["objection"], everyone(200)),
    Case("roster", expect=everyone(200), leak=lambda w: w.draft_a.name),
    Case("set_language", expect=everyone(302)),
    Case("accounts:login", expect=everyone(200)),
    Case("accounts:logout", expect=everyone(405)),
    Case("accounts:password_change", expect=signed_in(200)),
    Case("accounts:password_change_done", expect=signed_in(200)),
    Case("accounts:profile", expect=signed_in(200)),
    Case("admin:index", expect={**signed_in(302), "admin": 200}),
    Case("bases:list", expect=signed_in(200), leak=lambda w: w.draft_a.name),
    Case("notifications:list", expect=signed_in(200), leak=lambda w: w.note_for_staff_a.title),
    Case("notifications:open", lambda w: [w.note_for_staff_a.pk], signed_in(405)),
    Case("notifications:read_all", expect=signed_in(405)),
    Case("notifications:preferences", expect=signed_in(200)),
    Case("operations:index", expect=only({"admin"})),
    Case("operations:run", expect=signed_in(405)),
    Case("reviews:decision_list", expect=only({"bureau"})),
    # Annual grading and evaluation: the bureau's screens (hosts file reports on their filing pages).
    Case("assessments:index", expect=only({"bureau"})),
    Case(
        "assessments:round", lambda w: [w.report_round.year], only({"bureau"}), lambda w: w.recognized_a.name
    ),
    Case("assessments:grade", lambda w: [w.report_round.year, w.report_a.pk], signed_in(405)),
    Case("assessments:publish", lambda w: [w.report_round.year], signed_in(405)),
    Case(
        "assessments:grade_sheet",
        lambda w: [w.report_round.year, w.report_a.pk],
        only({"bureau"}),
        lambda w: w.recognized_a.name,
    ),
    Case("assessments:grid", expect=only({"bureau"})),
    Case("assessments:evaluations", lambda w: [w.evaluation_round.year], only({"bureau"})),
    Case("assessments:evaluation_grade", lambda w: [w.evaluation_round.year, 1], signed_in(405)),
    Case(
        "assessments:evaluation_meeting",
        lambda w: [w.evaluation_round.year, w.evaluation_a.pk],
        only({"bureau"}),
        lambda w: w.evaluation_a.base.name,
    ),
    # After approval: the host files, the supervisor and the bureau review; everyone else: 404.
    Case(
        "bases:filing_new",
        lambda w: [w.approved_a.pk, "extension"],
        only({"staff_a", "approver_a"}),
        lambda w: w.approved_a.name,
    ),
    Case(
        "bases:filing",
        lambda w: ["task-book", w.task_book_a.pk],
        only(VIEWERS_OF_A),
        lambda w: w.approved_a.name,
    ),
    Case("bases:filing_step", lambda w: ["task-book", w.task_book_a.pk, "submit"], signed_in(405)),
    Case("bases:ledger", lambda w: [w.recognized_a.pk], only(VIEWERS_OF_A), lambda w: w.recognized_a.name),
    Case("bases:ledger_export", lambda w: [w.recognized_a.pk], only(VIEWERS_OF_A)),
    Case("bases:export", expect=signed_in(200)),
    Case("bases:applications_export", expect=signed_in(200)),
    Case("assessments:grid_export", expect=only({"bureau"})),
    Case("reviews:panel_export", lambda w: [w.panel.pk], only({"bureau"})),
    Case("bases:legacy_import", expect=only({"bureau"})),
    Case("bases:legacy_template", expect=only({"bureau"})),
    Case("bases:document_preview", lambda w: ["application", w.draft_a.pk], only(VIEWERS_OF_A)),
    Case("bases:document_issue", lambda w: ["approval_notice", w.approved_a.pk], signed_in(405)),
    Case("bases:document_download", lambda w: [w.issued_a.pk], only(VIEWERS_OF_A)),
    Case("bases:document_detail", lambda w: [w.issued_a.pk], only(VIEWERS_OF_A), lambda w: w.issued_a.number),
    Case("bases:document_reissue", lambda w: [w.issued_a.pk], signed_in(405)),
    # every signed-in user has a list of the documents issued about what they may see
    Case("bases:document_list", expect=signed_in(200)),
    # verification is public: it shows a document's number, title and status, never the file
    Case("verify:home", expect=everyone(200)),
    Case("notices:objection_lookup", expect=everyone(200), leak=lambda w: w.objection.phone),
    Case("verify:code", lambda w: [w.issued_a.code], everyone(200)),
    Case("bases:dossier", lambda w: [w.approved_a.pk], only(VIEWERS_OF_A)),
    Case("bases:document_batch", lambda w: ["approval_notice"], signed_in(405)),
    # a job is its requester's only (the bureau's here); without a result file there is nothing to download
    Case("bases:job", lambda w: [w.job.pk], only({"bureau"})),
    Case("bases:job_download", lambda w: [w.job.pk], only(set())),
    Case("bases:re_recognition", lambda w: [w.recognized_a.pk], signed_in(405)),
    Case("reviews:decision_new", expect=only({"bureau"})),
    Case("reviews:decision_minutes", lambda w: [w.meeting.pk], only({"bureau"})),
    Case("reviews:panel_minutes", lambda w: [w.panel.pk], only({"bureau"})),
    Case("bases:create", expect=only({"staff_a", "approver_a", "staff_b", "approver_b"})),
    Case("bases:name_check", expect=signed_in(405)),
    Case("bases:detail", lambda w: [w.draft_a.pk], only(VIEWERS_OF_A), lambda w: w.draft_a.name),
    Case(
        "bases:edit",
        lambda w: [w.draft_a.pk, "basic"],
        only({"staff_a", "approver_a"}),
        lambda w: w.draft_a.name,
    ),
    Case("bases:evidence_delete", lambda w: [w.draft_a.pk, w.evidence.pk], signed_in(405)),
    Case(
        "bases:step",
        lambda w: [w.submitted_a.pk, "recommend"],
        only({"supervisor_a"}),
        lambda w: w.submitted_a.name,
    ),
    Case("bases:attachment", lambda w: [w.evidence.pk], only(VIEWERS_OF_A)),
    Case(
        "reviews:preliminary",
        lambda w: [w.recommended_a.pk],
        only({"bureau"}),
        lambda w: w.recommended_a.name,
    ),
    Case(
        "reviews:site_visit_new",
        lambda w: [w.recommended_a.pk],
        only({"bureau"}),
        lambda w: w.recommended_a.name,
    ),
    # The expert pool is the bureau's; an expert's phone is personal data seen nowhere else.
    Case("reviews:expert_list", expect=only({"bureau"}), leak=lambda w: w.pool_expert.phone),
    Case("reviews:expert_create", expect=only({"bureau"})),
    Case("reviews:expert_import", expect=only({"bureau"})),
    Case("reviews:expert_import_template", expect=only({"bureau"})),
    Case(
        "reviews:expert_edit",
        lambda w: [w.pool_expert.pk],
        only({"bureau"}),
        lambda w: w.pool_expert.phone,
    ),
    Case("reviews:expert_toggle", lambda w: [w.pool_expert.pk], signed_in(405)),
    Case("reviews:specialty_list", expect=only({"bureau"})),
    Case("reviews:specialty_edit", lambda w: [w.specialty.pk], only({"bureau"})),
    # Expert panels: the bureau's screens; an expert's own invitation; sheets only after declaring.
    Case("reviews:template_list", expect=only({"bureau"})),
    Case("reviews:template_new", expect=only({"bureau"})),
    Case("reviews:template_edit", lambda w: [w.template.pk], only({"bureau"})),
    Case("reviews:panel_list", expect=only({"bureau"})),
    Case("reviews:panel_new", expect=only({"bureau"})),
    Case("reviews:panel_detail", lambda w: [w.panel.pk], only({"bureau"}), lambda w: w.panel.title),
    Case("reviews:panel_substitute", lambda w: [w.panel.pk], signed_in(405)),
    Case("reviews:panel_conclude", lambda w: [w.panel.pk], signed_in(405)),
    # (the panel's own expert is meant to see its title; nobody else gets past the 404)
    Case("reviews:my_panels", expect=only({"expert"})),
    Case("reviews:my_panel", lambda w: [w.panel.pk], only({"expert"})),
    Case("reviews:my_panel_answer", lambda w: [w.panel.pk], signed_in(405)),
    Case("reviews:my_panel_conflict", lambda w: [w.panel.pk], only({"expert"})),
    Case("reviews:my_sheet", lambda w: [w.panel.pk, w.entry.pk], only(set()), lambda w: w.in_review_a.name),
    # Public notices: the bureau's side, and the public's pages that never name an objector.
    Case("reviews:notice_list", expect=only({"bureau"})),
    Case("reviews:notice_new", expect=only({"bureau"})),
    Case("reviews:notice_period", expect=only({"bureau"})),
    Case("reviews:notice_detail", lambda w: [w.notice.pk], only({"bureau"}), lambda w: w.objection.name),
    Case("reviews:notice_close", lambda w: [w.notice.pk], signed_in(405)),
    Case(
        "reviews:objection_detail", lambda w: [w.objection.pk], only({"bureau"}), lambda w: w.objection.phone
    ),
    Case("reviews:objection_attachment", lambda w: [w.objection_file.pk], only({"bureau"})),
    Case("notices:list", expect=everyone(200), leak=lambda w: w.objection.name),
    Case("notices:detail", lambda w: [w.notice.pk], everyone(200), lambda w: w.objection.phone),
    Case("notices:receipt", lambda w: [w.notice.pk, w.objection.receipt_no], everyone(404)),
]

# Extra checks of steps: each step is open to exactly its actor.
STEP_CASES = [
    ("submit", "draft_a", {"approver_a"}),
    ("supervisor_return", "submitted_a", {"supervisor_a"}),
    ("decline", "submitted_a", {"supervisor_a"}),
    ("withdraw", "submitted_a", {"approver_a"}),
    ("revoke", "recognized_a", {"bureau"}),
    ("recommend", "draft_a", set()),  # wrong state: nobody
    ("no-such-step", "submitted_a", set()),
]


@pytest.fixture
def world(people):
    return build_world(people)


def _meeting_with_minutes(people):
    """A Party-group meeting with its minutes (the bureau's only)."""
    from portal.documents.services import attachment_create
    from reviews.models import PartyGroupMeeting
    from reviews.models.decisions import DECISION_MINUTES_PURPOSE

    meeting = PartyGroupMeeting.objects.create(
        held_on=date(2026, 11, 20), minutes_no="党组〔2026〕9号", recorded_by=people.bureau
    )
    attachment_create(owner=meeting, purpose=DECISION_MINUTES_PURPOSE, file=pdf("会议纪要.pdf"))
    return meeting


def build_world(people):
    """One record of every kind the URLs take, in jurisdiction A (also used by the POST matrix)."""
    draft_a = PilotBaseFactory(
        host=people.host_a, name="忻州市甲县机密草稿中试基地", rd_direction="甲县机密草稿"
    )
    evidence = evidence_attach(actor=people.staff_a, base=draft_a, condition=1, file=pdf())
    from portal.notifications.services import notify

    [note_for_staff_a] = notify(recipients=[people.staff_a], title="给甲县基地人员的机密通知")
    return SimpleNamespace(
        people=people,
        meeting=_meeting_with_minutes(people),
        note_for_staff_a=note_for_staff_a,
        draft_a=draft_a,
        evidence=evidence,
        submitted_a=PilotBaseFactory(
            host=people.host_a, status=Status.SUBMITTED, name="忻州市甲县待推荐中试基地"
        ),
        recommended_a=PilotBaseFactory(
            host=people.host_a, status=Status.RECOMMENDED, name="忻州市甲县待初审中试基地"
        ),
        recognized_a=PilotBaseFactory(
            host=people.host_a,
            status=Status.RECOGNIZED,
            name="忻州市甲县已认定中试基地",
            recognized_on=date(2025, 1, 1),
            rd_direction="甲县已认定",
        ),
        **_approved_with_task_book(people),
        **_rounds(people),
        specialty=Specialty.objects.get(name="新材料"),
        pool_expert=expert_create(
            actor=people.bureau,
            username="matrix_pool_expert",
            full_name="矩阵专家",
            email="matrix.expert@example.cn",
            phone="13900009999",
            title="教授",
            affiliation=people.host_b,
            specialties=Specialty.objects.filter(name="新材料"),
        ),
        **_panel_and_notice(people),
    )


def _rounds(people):
    """A reporting round for 2025 whose reports include one of host A, and an evaluation round."""
    from assessments.models import AnnualReport, Evaluation
    from assessments.services.reporting import round_open
    from assessments.services.triennial import evaluation_round_open

    report_round = round_open(actor=people.bureau, year=2025, today=date(2026, 1, 5))
    evaluation_round = evaluation_round_open(actor=people.bureau, year=2030)
    evaluated_a = PilotBaseFactory(
        host=people.host_a,
        status=Status.RECOGNIZED,
        name="忻州市甲县待评估中试基地",
        recognized_on=date(2027, 3, 1),
        rd_direction="甲县待评估",
    )
    return {
        "report_round": report_round,
        "report_a": AnnualReport.objects.filter(round=report_round, base__host=people.host_a).first(),
        "evaluation_round": evaluation_round,
        "evaluation_a": Evaluation.objects.create(
            base=evaluated_a, round=evaluation_round, due_on=date(2030, 3, 1), created_by=people.bureau
        ),
    }


def _approved_with_task_book(people):
    from bases.services.filings import filing_create

    approved_a = PilotBaseFactory(
        host=people.host_a,
        status=Status.APPROVED,
        approved_on=date(2026, 6, 1),
        name="忻州市甲县已立项中试基地",
    )
    task_book_a = filing_create(
        actor=people.staff_a,
        base=approved_a,
        kind="task-book",
        data={
            "goals": "目标",
            "construction_content": "内容",
            "staffing": "人员",
            "expected_outputs": "成果",
        },
        milestones=[{"year": 2026, "content": "任务"}],
    )
    from portal.documents.services import document_store

    # a stored document as the issuing service leaves it (rendering is tested in tests/documents)
    issued_a = document_store(
        kind="approval_notice",
        title="立项建设通知",
        subject=approved_a,
        base=approved_a,
        pdf=b"%PDF-1.7 test",
        issued_by=people.bureau,
        number="忻科字〔2026〕99号",
        year=2026,
        sequence=99,
        code="3479ACDEFG",
    )
    from portal.documents.models import BackgroundJob

    job = BackgroundJob.objects.create(
        kind="roster_export", title="导出", requested_by=people.bureau, total=1
    )
    return {"approved_a": approved_a, "task_book_a": task_book_a, "issued_a": issued_a, "job": job}


def _panel_and_notice(people):
    """A panel with the matrix's expert invited (not yet declared), and a running public notice with
    one objection and its file."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.documents.services import attachment_create
    from reviews.models import Expert, Panel, PanelBase, PanelDraw, PanelMember, PublicNotice, ScoringTemplate
    from reviews.services.notices import objection_lodge

    in_review_a = PilotBaseFactory(
        host=people.host_a, status=Status.EXPERT_REVIEW, name="忻州市甲县评审中中试基地"
    )
    profile = Expert.objects.create(
        user=people.expert,
        title="教授",
        affiliation=people.expert.organisation,
        phone="13600000000",
        email="e@x.cn",
    )
    panel = Panel.objects.create(
        title="矩阵机密专家组",
        purpose="establishment",
        template_name="t",
        due_on=date(2026, 12, 31),
        created_by=people.bureau,
    )
    entry = PanelBase.objects.create(panel=panel, base=in_review_a)
    from reviews.models.panels import PANEL_MINUTES_PURPOSE

    attachment_create(owner=panel, purpose=PANEL_MINUTES_PURPOSE, file=pdf("评审会议纪要.pdf"))
    draw = PanelDraw.objects.create(panel=panel, kind="initial", seed=1, requested=1, drawn_by=people.bureau)
    PanelMember.objects.create(panel=panel, expert=profile, draw=draw)
    today = timezone.localdate()
    in_notice_a = PilotBaseFactory(
        host=people.host_a, status=Status.IN_NOTICE, name="忻州市甲县公示中中试基地"
    )
    notice = PublicNotice.objects.create(
        title="矩阵公示",
        body="公示内容",
        starts_on=today - timedelta(days=1),
        working_days=7,
        ends_on=today + timedelta(days=9),
        published_by=people.bureau,
    )
    notice_entry = notice.entries.create(base=in_notice_a)
    objection = objection_lodge(
        notice=notice,
        entry_id=notice_entry.pk,
        name="机密异议人",
        organisation="某单位",
        phone="13511112222",
        email="",
        content="这是一条用于测试的机密异议内容。",
    )
    objection_file = attachment_create(owner=objection, purpose="objection", file=pdf())
    return {
        "template": ScoringTemplate.objects.first(),
        "panel": panel,
        "entry": entry,
        "in_review_a": in_review_a,
        "notice": notice,
        "objection": objection,
        "objection_file": objection_file,
    }


def login_as(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world.people, role))


@pytest.mark.parametrize("case", MATRIX, ids=[c.name for c in MATRIX])
def test_matrix(client, world, case):
    url = reverse(case.name, args=case.args(world) if case.args else None)
    secret = case.leak(world) if case.leak else None
    outcomes = {}
    for role in ROLES:
        client.logout()
        login_as(client, world, role)
        response = client.get(url)
        outcomes[role] = response.status_code
        if secret and response.status_code == 200 and role not in VIEWERS_OF_A:
            assert secret not in response.content.decode(), f"{case.name}: {role} sees {secret}"
        if secret and response.status_code == 404:
            assert secret not in response.content.decode()
    assert outcomes == case.expect


@pytest.mark.parametrize(("action", "base_attr", "allowed"), STEP_CASES)
def test_each_step_is_open_to_its_actor_only(client, world, action, base_attr, allowed):
    base = getattr(world, base_attr)
    url = reverse("bases:step", args=[base.pk, action])
    for role in SIGNED_IN:
        client.logout()
        login_as(client, world, role)
        expected = 200 if role in allowed else 404
        assert client.get(url).status_code == expected, role


def test_an_attachment_of_another_kind_of_record_is_not_served(client, world):
    """An attachment whose owner is no base (e.g. of a record not wired yet) is a 404, not a 500."""
    from portal.documents.models import Attachment

    orphan = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(world.people.bureau),
        object_id=world.people.bureau.pk,
        purpose="other",
        file=world.evidence.file.name,
        original_name="x.pdf",
        size=1,
        sha256="0" * 64,
    )
    client.force_login(world.people.bureau)
    assert client.get(reverse("bases:attachment", args=[orphan.pk])).status_code == 404


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                yield "admin:index"  # Django's admin guards itself; the index stands for it
                continue
            yield from _all_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    covered = {case.name for case in MATRIX}
    missing = sorted(set(_all_url_names()) - covered)
    assert missing == [], f"add these URLs to the authorization matrix: {missing}"


def test_an_expert_sees_an_assigned_base_only_after_declaring(client, world):
    """Issue 4: the materials of a base open to a drawn expert only once they sign the declaration,
    and only the bases of their own panels."""
    from reviews.models import PanelMember
    from reviews.services.members import member_accept

    client.force_login(world.people.expert)
    detail = reverse("bases:detail", args=[world.in_review_a.pk])
    sheet = reverse("reviews:my_sheet", args=[world.panel.pk, world.entry.pk])
    assert client.get(detail).status_code == 404
    assert client.get(sheet).status_code == 404
    member_accept(actor=world.people.expert, member=PanelMember.objects.get(panel=world.panel), declared=True)
    assert client.get(detail).status_code == 200
    assert client.get(sheet).status_code == 200
    assert client.get(reverse("bases:detail", args=[world.draft_a.pk])).status_code == 404
    assert client.get(reverse("bases:attachment", args=[world.evidence.pk])).status_code == 404
    assert client.get(reverse("bases:list")).content.decode().count(world.in_review_a.name) >= 1
