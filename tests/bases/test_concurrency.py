"""Two people pressing at once cannot both succeed (ConcurrentTransitionMixin and the row lock)."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction
from django_fsm_log.models import StateLog

from bases import services
from bases.models import PilotBase, Status
from portal.exceptions import StaleState
from portal.workflow.services import run_transition
from tests.factories import PilotBaseFactory


@pytest.mark.django_db
def test_a_stale_copy_cannot_overwrite_a_newer_state(people):
    """Optimistic check at save: both copies loaded in `submitted`; the second save is refused."""
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    first, second = PilotBase.objects.get(pk=base.pk), PilotBase.objects.get(pk=base.pk)
    with transaction.atomic():  # as every service runs it
        run_transition(instance=first, transition="decline", actor=people.supervisor_a, comment="不予推荐")
    with pytest.raises(StaleState) as refused, transaction.atomic():
        run_transition(
            instance=second, transition="supervisor_return", actor=people.supervisor_a, comment="退回"
        )
    assert "已被他人处理" in refused.value.message
    base.refresh_from_db()
    assert base.status == Status.REJECTED
    assert list(StateLog.objects.for_(base).values_list("transition", flat=True)) == ["decline"]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="row locks are a PostgreSQL feature; SQLite serialises writers itself (see the test above)",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_one_wins(people):
    """Real concurrency on PostgreSQL: two threads decide the same submitted base at once."""
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(action):
        try:
            barrier.wait()
            if action == "decline":
                services.base_decline(actor=people.supervisor_a, base=base, reason="不予推荐")
            else:
                services.base_supervisor_return(actor=people.supervisor_a, base=base, reason="退回")
            outcomes.append("ok")
        except StaleState:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("decline", "return")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ok", "stale"]
    assert StateLog.objects.for_(base).exclude(transition="create").count() == 1
