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
    from assessments.services import evaluation_missing

    ready = Evaluation.objects.get(base__name="忻州市煤基新材料中试基地", round__year=2025)
    assert ready.meeting.minutes is not None and evaluation_missing(ready) == []
    for base in PilotBase.objects.all():  # every demo base got there through logged steps
        assert StateLog.objects.for_(base).order_by("-pk").first().state == base.status
