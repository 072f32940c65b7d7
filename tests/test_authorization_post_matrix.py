"""The POST matrix: every URL of the portal that accepts POST × every role (and anonymous), where the
two jurisdictions' host staff, host approvers and supervisors give each URL's in-scope and
out-of-scope callers. A caller who may not is refused (403/404; anonymous: to the sign-in page) and
no row changes: the row count of every table and the target row are compared before and after.
Then the allowed role's POST succeeds and changes what it should.

The list of URLs is generated from the URL configuration: each URL's accepted methods are read from
its view (require_http_methods, a class-based view's handlers; a plain function view accepts every
method), and a URL that accepts POST without a case below fails `test_every_post_url_has_a_case`.
Every URL that does not accept POST is posted to by every role as well and must be refused the same
way (`test_a_get_only_url_refuses_every_post`). The data is built once per module (one transaction
around the module, a savepoint per test).

Django's admin (its own permission checks) is covered by tests/security/test_admin_escalation.py and
tests/security/test_audit_log.py.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bases.models import Status
from tests.factories import PEOPLE, PilotBaseFactory, make_expert, make_people
from tests.test_authorization_matrix import MATRIX, build_world
from tests.uploads import pdf

ROLES = ["anonymous", *PEOPLE]
SIGNED_IN = set(PEOPLE)
EVERYONE = set(ROLES)
HOST_A = {"staff_a", "approver_a"}

# Tables every request may write whoever makes it: sessions and django-axes' sign-in records.
VOLATILE_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


@dataclass
class PostCase:
    name: str
    args: object = None  # callable(world) -> list
    allowed: set = field(default_factory=set)  # roles that may (never checked for refusal)
    actor: str = ""  # the allowed role whose POST must succeed (empty: nobody may)
    data: object = None  # callable(world) -> dict, the actor's valid POST
    target: object = None  # callable(world) -> model instance whose row a refused POST leaves alone
    writes: bool = True  # the actor's POST changes rows (else: a check or a session-only change)
    prepare: object = None  # callable(world): bring the target into the state where the actor may act


# ---------------------------------------------------------------------------------------------
# The world: the GET matrix's records, plus what the allowed POSTs need.


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        people = make_people()
        w = build_world(people)
        w.re_recognition_a = PilotBaseFactory(
            host=people.host_a,
            status=Status.RE_RECOGNITION_REQUIRED,
            name="忻州市甲县待重新认定中试基地",
            rd_direction="甲县待重新认定",
            recognized_on=date(2024, 1, 1),
        )
        w.review_passed_a = PilotBaseFactory(
            host=people.host_a, review_passed=True, name="忻州市甲县评审通过中试基地"
        )
        w.cleared_a = PilotBaseFactory(
            host=people.host_a, status=Status.NOTICE_CLEARED, name="忻州市甲县公示无异议中试基地"
        )
        w.preliminary_passed_a = PilotBaseFactory(
            host=people.host_a, status=Status.PRELIMINARY_PASSED, name="忻州市甲县初审通过中试基地"
        )
        from assessments.models import Evaluation

        w.evaluation_a = Evaluation.objects.create(
            round=w.evaluation_round,
            base=w.recognized_a,
            due_on=date(2030, 12, 31),
            created_by=people.staff_a,
        )
        for n in range(6):
            make_expert(username=f"post_matrix_expert_{n}", specialties=("新材料",))
        yield w
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# What changes: one query for the row counts of every table.


def _tables():
    names = set(connection.introspection.table_names())
    return sorted(names - VOLATILE_TABLES)


def snapshot(target=None):
    tables = _tables()
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    row = None
    if target is not None:
        row = type(target).objects.filter(pk=target.pk).values().first()
    return counts, row


def _changed(before, after):
    counts = {t: (before[0][t], after[0][t]) for t in before[0] if before[0][t] != after[0][t]}
    return counts, before[1] != after[1]


# ---------------------------------------------------------------------------------------------
# The cases: one per POST-accepting URL.


def _xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    handle = io.BytesIO()
    workbook.save(handle)
    handle.seek(0)
    handle.name = "import.xlsx"
    return handle


def _expert_import_file(w):
    from reviews.imports import COLUMNS

    headers = [str(column.header) for _name, column in COLUMNS]
    return {"file": _xlsx([headers]), "action": "preview"}


def _legacy_import_file(w):
    from bases.imports import COLUMNS

    headers = [str(column.header) for _name, column in COLUMNS]
    return {"file": _xlsx([headers]), "action": "preview"}


def _accept_panel(w):
    from reviews.models import PanelMember
    from reviews.services.members import member_accept

    member_accept(actor=w.people.expert, member=PanelMember.objects.get(panel=w.panel), declared=True)


def _sheet(w):
    criteria = list(w.panel.criteria.all())
    return {f"score_{c.pk}": "8" for c in criteria} | {
        "opinion": "同意",
        "recommendation": "pass",
        "action": "save",
    }


def _end_notice(w):
    from reviews.models import PublicNotice

    past = timezone.localdate() - timedelta(days=1)
    PublicNotice.objects.filter(pk=w.notice.pk).update(starts_on=past - timedelta(days=10), ends_on=past)
    w.objection.__class__.objects.filter(pk=w.objection.pk).update(state="dismissed", resolution="不属实")


def _template_data(w):
    return {
        "name": "矩阵模板",
        "purpose": "establishment",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "100",
        "criteria-0-name": "技术水平",
        "criteria-0-weight": "100",
        "criteria-0-max_score": "100",
        "criteria-0-description": "",
    }


def _panel_data(w):
    from reviews.models import ScoringTemplate, Specialty

    return {
        "title": "矩阵评审专家组",
        "purpose": "establishment",
        "template": ScoringTemplate.objects.get(purpose="establishment", is_active=True).pk,
        "bases": [w.preliminary_passed_a.pk],
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "specialties": [Specialty.objects.get(name="新材料").pk],
        "count": "3",
    }


def _decision_data(w):
    return {
        "held_on": timezone.localdate().isoformat(),
        "minutes_no": "党组〔2026〕1号",
        "minutes": pdf("会议纪要.pdf"),
        "note": "",
        f"outcome_{w.cleared_a.pk}": "approve",
        f"reason_{w.cleared_a.pk}": "",
    }


def _objection_data(w):
    return {
        "entry": w.notice.entries.get().pk,
        "name": "矩阵公众",
        "organisation": "某单位",
        "phone": "13500001111",
        "email": "",
        "content": "该基地申报材料中的设备清单与实际不符，请核查。",
    }


def _copy_of_issued_a(w):
    """A PDF someone wants checked (it matches no issued file: the page says so)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("copy.pdf", b"%PDF-1.4\n%matrix copy\n%%EOF\n", "application/pdf")}


POST_MATRIX = [
    # public and one's own account: everyone may; a signed-in person only for themselves
    PostCase(
        "accounts:login",
        allowed=EVERYONE,
        actor="anonymous",
        data=lambda w: {"username": "staff_a", "password": "pw-for-tests"},
        writes=False,
    ),
    PostCase("accounts:logout", allowed=EVERYONE, actor="staff_a", writes=False),
    PostCase(
        "accounts:password_change",
        allowed=SIGNED_IN,
        actor="staff_a",
        data=lambda w: {
            "old_password": "pw-for-tests",
            "new_password1": "Matrix-new-pw-2026",
            "new_password2": "Matrix-new-pw-2026",
        },
        target=lambda w: w.people.staff_a,
    ),
    PostCase(
        "set_language", allowed=EVERYONE, actor="anonymous", data=lambda w: {"language": "en"}, writes=False
    ),
    PostCase(
        "notices:detail",
        lambda w: [w.notice.pk],
        allowed=EVERYONE,
        actor="anonymous",
        data=_objection_data,
        target=lambda w: w.notice,
    ),
    PostCase(
        "notifications:open",
        lambda w: [w.note_for_staff_a.pk],
        allowed={"staff_a"},
        actor="staff_a",
        target=lambda w: w.note_for_staff_a,
    ),
    PostCase(
        "notifications:read_all",
        allowed=SIGNED_IN,
        actor="staff_a",
        target=lambda w: w.note_for_staff_a,
    ),
    PostCase(
        "notifications:preferences",
        allowed=SIGNED_IN,
        actor="staff_a",
        data=lambda w: {"workflow": "on", "notice": "on"},
    ),
    # the host unit's application
    PostCase(
        "bases:create",
        allowed={"staff_a", "approver_a", "staff_b", "approver_b"},
        actor="staff_a",
        data=lambda w: {"rd_direction": "矩阵装备", "name": "忻州市矩阵装备中试基地"},
    ),
    PostCase(
        "bases:name_check",
        allowed=SIGNED_IN,
        actor="staff_a",
        data=lambda w: {"name": "忻州市氢能中试基地", "rd_direction": "氢能"},
        writes=False,
    ),
    PostCase(
        "bases:edit",
        lambda w: [w.draft_a.pk, "basic"],
        allowed=HOST_A,
        actor="staff_a",
        data=lambda w: {
            "name": w.draft_a.name,
            "rd_direction": w.draft_a.rd_direction,
            "summary": "矩阵简介",
        },
        target=lambda w: w.draft_a,
    ),
    PostCase(
        "bases:evidence_delete",
        lambda w: [w.draft_a.pk, w.evidence.pk],
        allowed=HOST_A,
        actor="staff_a",
        target=lambda w: w.evidence,
    ),
    PostCase(
        "bases:step",
        lambda w: [w.submitted_a.pk, "recommend"],
        allowed={"supervisor_a"},
        actor="supervisor_a",
        data=lambda w: {"expected_status": "submitted", "comment": "同意推荐", "letter": pdf()},
        target=lambda w: w.submitted_a,
    ),
    PostCase(
        "bases:re_recognition",
        lambda w: [w.re_recognition_a.pk],
        allowed=HOST_A,
        actor="staff_a",
        target=lambda w: w.re_recognition_a,
    ),
    # filings after approval and the funds ledger
    PostCase(
        "bases:filing_new",
        lambda w: [w.approved_a.pk, "extension"],
        allowed=HOST_A,
        actor="staff_a",
        data=lambda w: {"reasons": "设备到货延迟", "months_requested": "6"},
        target=lambda w: w.approved_a,
        writes=False,  # an approved base (not yet under construction) may not ask for an extension
    ),
    PostCase(
        "bases:filing",
        lambda w: ["task-book", w.task_book_a.pk],
        allowed=HOST_A,
        actor="staff_a",
        data=lambda w: {
            "goals": "新目标",
            "construction_content": "内容",
            "staffing": "人员",
            "equipment": "设备",
            "expected_outputs": "成果",
            "milestones-TOTAL_FORMS": "1",
            "milestones-INITIAL_FORMS": "0",
            "milestones-0-year": "2026",
            "milestones-0-content": "任务",
            "milestones-0-self_raised_wan": "10",
        },
        target=lambda w: w.task_book_a,
    ),
    PostCase(
        "bases:filing_step",
        lambda w: ["task-book", w.task_book_a.pk, "submit"],
        allowed={"approver_a"},
        actor="approver_a",
        data=lambda w: {"expected_state": "draft", "comment": ""},
        target=lambda w: w.task_book_a,
    ),
    PostCase(
        "bases:ledger",
        lambda w: [w.recognized_a.pk],
        allowed={"bureau", *HOST_A},
        actor="bureau",
        data=lambda w: {
            "form": "entry",
            "entry_on": "2026-06-01",
            "amount": "1000.00",
            "payee": "忻州市科学技术局",
            "note": "专项资金",
        },
        target=lambda w: w.recognized_a,
    ),
    # documents
    PostCase(
        "bases:document_issue",
        lambda w: ["approval_notice", w.approved_a.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.approved_a,
        writes=False,  # already issued for this base: the bureau is told so
    ),
    PostCase(
        "bases:document_reissue",
        lambda w: [w.issued_a.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"reason": ""},
        target=lambda w: w.issued_a,
        writes=False,  # a correction needs its reason typed: the page asks for it
    ),
    PostCase("verify:home", allowed=EVERYONE, actor="anonymous", data=_copy_of_issued_a, writes=False),
    PostCase(
        "notices:objection_lookup",
        allowed=EVERYONE,
        actor="anonymous",
        data=lambda w: {"receipt_no": w.objection.receipt_no, "code": "AAAAAAAAAA"},
        writes=False,  # a lookup reads; a wrong code reads as not found
    ),
    PostCase(
        "bases:document_batch",
        lambda w: ["approval_notice"],
        allowed={"bureau"},
        actor="bureau",
        writes=False,  # no base is waiting for this document: the bureau is told so
    ),
    PostCase(
        "bases:legacy_import", allowed={"bureau"}, actor="bureau", data=_legacy_import_file, writes=False
    ),
    # the bureau's reviews
    PostCase(
        "reviews:preliminary",
        lambda w: [w.recommended_a.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.recommended_a,
        writes=False,  # opening the checklist; its steps are tested in tests/reviews
    ),
    PostCase(
        "reviews:site_visit_new",
        lambda w: [w.recommended_a.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {
            "purpose": "preliminary",
            "visited_on": "2026-06-01",
            "participants": "张三、李四",
            "findings": "现场设备与申报一致。",
        },
        target=lambda w: w.recommended_a,
    ),
    PostCase(
        "reviews:expert_create",
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {
            "username": "post_matrix_new_expert",
            "full_name": "新专家",
            "title": "研究员",
            "affiliation": w.people.host_b.pk,
            "phone": "13600002222",
            "email": "new.expert@example.cn",
            "specialties": [w.specialty.pk],
        },
    ),
    PostCase(
        "reviews:expert_import", allowed={"bureau"}, actor="bureau", data=_expert_import_file, writes=False
    ),
    PostCase(
        "reviews:expert_edit",
        lambda w: [w.pool_expert.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {
            "username": "matrix_pool_expert",
            "full_name": "矩阵专家",
            "title": "研究员",
            "affiliation": w.people.host_b.pk,
            "phone": "13900009999",
            "email": "matrix.expert@example.cn",
            "specialties": [w.specialty.pk],
        },
        target=lambda w: w.pool_expert,
    ),
    PostCase(
        "reviews:expert_toggle",
        lambda w: [w.pool_expert.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.pool_expert,
    ),
    PostCase(
        "reviews:specialty_list",
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"name": "矩阵储能", "description": "", "is_active": "on"},
    ),
    PostCase(
        "reviews:specialty_edit",
        lambda w: [w.specialty.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"name": "新材料", "description": "矩阵说明", "is_active": "on"},
        target=lambda w: w.specialty,
    ),
    PostCase("reviews:decision_new", allowed={"bureau"}, actor="bureau", data=_decision_data),
    PostCase("reviews:template_new", allowed={"bureau"}, actor="bureau", data=_template_data),
    PostCase(
        "reviews:template_edit",
        lambda w: [w.template.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.template,
        writes=False,  # a template in use is not edited; the form says so
    ),
    PostCase("reviews:panel_new", allowed={"bureau"}, actor="bureau", data=_panel_data),
    PostCase(
        "reviews:panel_substitute",
        lambda w: [w.panel.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.panel,
        writes=False,  # nobody declined: no substitute to draw
    ),
    PostCase(
        "reviews:panel_conclude",
        lambda w: [w.panel.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.panel,
        writes=False,  # no sheet submitted yet: the bureau is told what is missing
    ),
    PostCase(
        "reviews:my_panel_answer",
        lambda w: [w.panel.pk],
        allowed={"expert"},
        actor="expert",
        data=lambda w: {"answer": "accept", "declared": "on"},
        target=lambda w: w.panel.members.get(),
    ),
    PostCase(
        "reviews:my_panel_conflict",
        lambda w: [w.panel.pk],
        allowed={"expert"},
        actor="expert",
        data=lambda w: {"other": "矩阵某研究所", "reason": "曾在该单位兼职"},
        target=lambda w: w.panel.members.get(),
        writes=False,  # only an invitation still open may be declined for a conflict; the page says so
    ),
    PostCase(
        "reviews:my_sheet",
        lambda w: [w.panel.pk, w.entry.pk],
        allowed={"expert"},
        actor="expert",
        data=_sheet,
        target=lambda w: w.entry,
        prepare=_accept_panel,
    ),
    PostCase(
        "reviews:notice_new",
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {
            "title": "矩阵公示",
            "body": "现予以公示。",
            "bases": [w.review_passed_a.pk],
            "starts_on": timezone.localdate().isoformat(),
            "working_days": 7,
            "contact": "",
        },
    ),
    PostCase(
        "reviews:notice_close",
        lambda w: [w.notice.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.notice,
        prepare=_end_notice,
    ),
    PostCase(
        "reviews:objection_detail",
        lambda w: [w.objection.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"form": "resolve", "upheld": "no", "resolution": "经核查，反映问题不属实。"},
        target=lambda w: w.objection,
    ),
    # annual grading and evaluation
    PostCase(
        "assessments:index",
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"year": "2024", "what": "reports"},
    ),
    PostCase(
        "assessments:grade",
        lambda w: [w.report_round.year, w.report_a.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"grade": "good", "score": "85"},
        target=lambda w: w.report_a,
        writes=False,  # the report was not submitted: the bureau is told it cannot be graded yet
    ),
    PostCase(
        "assessments:publish",
        lambda w: [w.report_round.year],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.report_round,
        writes=False,  # nothing graded yet: nothing to publish
    ),
    PostCase(
        "assessments:grade_sheet",
        lambda w: [w.report_round.year, w.report_a.pk],
        allowed={"bureau"},
        actor="bureau",
        target=lambda w: w.report_a,
        writes=False,  # an empty sheet is refused with the missing scores named
    ),
    PostCase(
        "assessments:evaluation_meeting",
        lambda w: [w.evaluation_round.year, w.evaluation_a.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"held_on": timezone.localdate().isoformat(), "opinion": "同意"},
        target=lambda w: w.evaluation_a,
        writes=False,  # no concluded evaluation panel and no minutes file here: the form says what is missing
    ),
    PostCase(
        "assessments:evaluation_grade",
        lambda w: [w.evaluation_round.year, w.evaluation_a.pk],
        allowed={"bureau"},
        actor="bureau",
        data=lambda w: {"grade": "good"},
        target=lambda w: w.evaluation_a,
        writes=False,  # neither the meeting review nor the site inspection is recorded yet
    ),
    # operations
    PostCase("operations:run", allowed={"admin"}, actor="admin"),
]

BY_NAME = {case.name: case for case in POST_MATRIX}


# ---------------------------------------------------------------------------------------------
# The URL configuration: which URLs accept POST.


def _accepted_methods(callback) -> set[str]:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m for m in view_class.http_method_names if hasattr(view_class, m)}
    function = callback
    while function is not None:
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
            ):
                return {v.lower() for v in value}  # require_http_methods' list
        function = getattr(function, "__wrapped__", None)
    return {"get", "post", "put", "patch", "delete"}  # a plain function view answers every method


def _urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: tests/security/test_admin_escalation.py
            ns = pattern.namespace
            yield from _urls(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


URLS = dict(_urls())
POST_URLS = sorted(name for name, callback in URLS.items() if "post" in _accepted_methods(callback))
GET_ONLY_URLS = sorted(set(URLS) - set(POST_URLS))
GET_ARGS = {case.name: case.args for case in MATRIX}


def test_every_post_url_has_a_case():
    """A new URL that accepts POST fails here until it has a case: it is never skipped."""
    missing = sorted(set(POST_URLS) - set(BY_NAME))
    assert missing == [], f"add these POST URLs to the POST matrix: {missing}"
    assert sorted(BY_NAME) == POST_URLS, "a case for a URL that no longer accepts POST"
    assert len(POST_URLS) >= 40


# ---------------------------------------------------------------------------------------------
# The matrix.


def _login(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(world.people, role))


def _refused(role, response):
    if role == "anonymous":
        return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    return response.status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_URLS)
def test_post_matrix(client, world, name):
    case = BY_NAME.get(name)
    assert case is not None, f"{name} accepts POST but has no case in the POST matrix"
    if case.prepare:
        case.prepare(world)
    url = reverse(name, args=case.args(world) if case.args else None)
    target = case.target(world) if case.target else None
    wrong = []
    for role in ROLES:
        if role in case.allowed:
            continue
        _login(client, world, role)
        before = snapshot(target)
        response = client.post(url, case.data(world) if case.data else {})
        counts, row = _changed(before, snapshot(target))
        if not _refused(role, response) or counts or row:
            wrong.append((role, response.status_code, counts, "target changed" if row else ""))
    assert wrong == [], f"{name}: not refused, or rows changed: {wrong}"

    assert case.actor in case.allowed
    _login(client, world, case.actor)
    before = snapshot(target)
    response = client.post(url, case.data(world) if case.data else {})
    # Let through: done (a redirect), or the form again (200; 400 when the form's input is refused).
    assert response.status_code in (200, 302) or (not case.writes and response.status_code == 400), (
        f"{name}: {case.actor} got {response.status_code}: {response.content.decode()[-1500:]}"
    )
    if case.actor != "anonymous" and response.status_code == 302:
        assert not response["Location"].startswith(reverse("accounts:login"))
    if case.writes:
        counts, row = _changed(before, snapshot(target))
        assert counts or row, (
            f"{name}: {case.actor}'s POST changed nothing: {response.content.decode()[:3000]}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_ONLY_URLS)
def test_a_get_only_url_refuses_every_post(client, world, name):
    assert name in GET_ARGS, f"{name} is in neither matrix"
    args = GET_ARGS[name]
    url = reverse(name, args=args(world) if args else None)
    wrong = []
    for role in ROLES:
        _login(client, world, role)
        before = snapshot()
        response = client.post(url, {})
        counts, _row = _changed(before, snapshot())
        refused = response.status_code == 405 or _refused(role, response)
        if not refused or counts:
            wrong.append((role, response.status_code, counts))
    assert wrong == [], f"{name}: {wrong}"


def test_the_matrix_size():
    """The size reported in docs/security.md: POST URLs × callers (9 roles and anonymous)."""
    assert len(POST_URLS) * len(ROLES) == len(BY_NAME) * 10
    assert apps.get_app_config("bases")  # the URL configuration was loaded with the apps
