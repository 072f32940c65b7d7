"""seed_demo: every role's demo user, bases in every state reached so far, idempotent, never in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_fsm_log.models import StateLog

from bases.models import PilotBase, Status
from portal.accounts.models import Role, User

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "admin": Role.ADMIN,
    "bureau": Role.BUREAU_STAFF,
    "xinfu": Role.SUPERVISOR,
    "yuanping": Role.SUPERVISOR,
    "host": Role.BASE_STAFF,
    "host_approver": Role.HOST_APPROVER,
    "host2": Role.BASE_STAFF,
    **{f"expert{i}": Role.EXPERT for i in range(1, 10)},
}


def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.filter(username="host").exists()


def test_seed_demo_creates_every_role_and_is_idempotent(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-for-test"
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), PilotBase.objects.count(), StateLog.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert "新建基地 0 个" in output.getvalue()
    assert (User.objects.count(), PilotBase.objects.count(), StateLog.objects.count()) == counts

    for username, role in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password("demo-pass-for-test")
    assert User.objects.get(username="xinfu").organisation.name == "忻府区工信和科技局"
    assert User.objects.get(username="yuanping").organisation.name == "原平市工信和科技局"
    assert User.objects.get(username="host").organisation.supervising_unit.name == "忻府区工信和科技局"
    assert User.objects.get(username="host2").organisation.supervising_unit.name == "原平市工信和科技局"

    states = set(PilotBase.objects.values_list("status", flat=True))
    assert states >= {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.RECOMMENDED,
        Status.PRELIMINARY_PASSED,
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.EXPERT_REVIEW,
        Status.REVIEW_PASSED,
        Status.IN_NOTICE,
        Status.NOTICE_CLEARED,
        Status.APPROVED,
    }
    # Art. 8-4: the base whose acceptance application was left a draft past the window is revoked by
    # the daily rule, and its log says so
    ruled = PilotBase.objects.get(name="忻州市稀土永磁中试基地")
    assert ruled.status == Status.REVOKED and ruled.revocation_reason == "construction_not_accepted"
    assert "定时任务" in StateLog.objects.for_(ruled).get(state=Status.REVOKED).record.actor_label
    # Art. 8-2: an expert excluded by the organisation tree, and one who declared a conflict, replaced.
    from reviews.models import DeclaredConflict, PanelDraw

    school_expert = User.objects.get(username="expert8").expert_profile.pk
    reasons = [
        r
        for d in PanelDraw.objects.all()
        for e in d.excluded
        if e["expert"] == school_expert
        for r in e["reasons"]
    ]
    assert ["backing_within", "忻州师范学院"] in reasons
    declared = DeclaredConflict.objects.get(expert__user__username="expert5")
    substitute = PanelDraw.objects.get(kind="substitute", panel=declared.member.panel)
    excluded = {e["expert"]: e["reasons"] for e in substitute.excluded}
    assert ["declared", declared.name] in excluded[declared.expert_id]
    # Art. 17: an evaluation with both its meeting review and its site inspection, ready to be graded.
    from assessments.models import Evaluation
    from assessments.services.triennial import evaluation_missing

    ready = Evaluation.objects.get(base__name="忻州市煤系固废利用中试基地", round__year=2025)
    assert ready.meeting.minutes is not None and evaluation_missing(ready) == []
    for base in PilotBase.objects.all():  # every demo base got there through logged steps
        assert StateLog.objects.for_(base).order_by("-pk").first().state == base.status


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-for-test"
    call_command("seed_demo", stdout=StringIO())


def test_seed_demo_reaches_every_state_of_a_base(demo):
    """A newcomer finds a base in every state of the lifecycle (bases.models.Status)."""
    states = set(PilotBase.objects.values_list("status", flat=True))
    assert set(Status.values) - states == set()


def test_every_demo_base_has_its_dates_in_lifecycle_order(demo):
    """Approval before the construction deadline and recognition (Art. 8-3, 8-4), recognition before
    revocation, none in the future but the construction deadline."""
    from django.utils import timezone

    today = timezone.localdate()
    for base in PilotBase.objects.all():
        dated = [
            (field, getattr(base, field))
            for field in ("approved_on", "recognized_on", "revoked_on")
            if getattr(base, field) is not None
        ]
        days = [day for _field, day in dated]
        assert days == sorted(days), (base.name, dated)
        assert all(day <= today for day in days), (base.name, dated)
        if base.approved_on and base.construction_deadline:
            assert base.approved_on < base.construction_deadline, base.name
        if base.approved_on:
            assert base.application_year <= base.approved_on.year, base.name


def test_an_annual_report_round_is_open_on_the_day_the_demo_is_seeded(demo):
    """A newcomer can file and grade an annual report at once (Art. 15)."""
    from django.utils import timezone

    from assessments.models import AnnualReport, ReportingRound

    today = timezone.localdate()
    open_round = ReportingRound.objects.get(published_at__isnull=True)
    assert open_round.year == today.year - 1
    assert AnnualReport.objects.filter(round=open_round, state="draft").exists()
