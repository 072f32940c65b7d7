"""The lifecycle bar on every page of a base: ten steps, the current one with its deadline, and where a
base that left the procedure stopped (bases.selectors.lifecycle.base_lifecycle, `{% base_lifecycle %}`)."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format
from django_fsm_log.models import StateLog

from bases.models import Status
from bases.selectors.lifecycle import base_lifecycle
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def _states(steps):
    return {step.key: step.state for step in steps}


def _current(steps):
    return [step for step in steps if step.state in ("current", "stopped")]


def test_a_base_under_construction_is_at_construction_with_its_deadline():
    base = PilotBaseFactory(under_construction=True, construction_deadline=date(2027, 5, 1))
    steps = base_lifecycle(base, TODAY)
    assert [step.key for step in steps][:3] == ["apply", "recommend", "preliminary"] and len(steps) == 10
    (current,) = _current(steps)
    assert current.key == "construct" and current.state == "current"
    assert current.deadline == date(2027, 5, 1) and str(current.deadline_label) == "建设期满"
    states = _states(steps)
    assert all(states[key] == "done" for key in ("apply", "recommend", "approve"))
    assert all(states[key] == "todo" for key in ("accept", "recognise", "assess"))


def test_after_a_failed_acceptance_the_deadline_is_the_last_day_to_ask_for_the_extension():
    base = PilotBaseFactory(
        acceptance_failed=True,
        construction_deadline=date(2026, 10, 31),
        acceptance_failed_on=date(2026, 11, 20),
    )
    (current,) = _current(base_lifecycle(base, TODAY))
    # Art. 8-4 with the portal's one month after the bureau concluded the failed acceptance.
    assert current.key == "accept" and current.deadline == date(2026, 12, 20)


def test_a_recognised_base_is_in_its_yearly_assessment_with_the_next_annual_report_due():
    base = PilotBaseFactory(recognized=True, recognized_on=date(2024, 6, 1))
    (current,) = _current(base_lifecycle(base, TODAY))
    assert current.key == "assess" and current.deadline == date(2027, 1, 31)
    (current,) = _current(base_lifecycle(base, date(2027, 1, 10)))
    assert current.deadline == date(2027, 1, 31)


def test_a_submitted_base_waits_for_the_countys_recommendation():
    base = PilotBaseFactory(submitted=True)
    (current,) = _current(base_lifecycle(base, TODAY))
    assert current.key == "recommend" and current.deadline is None


def test_a_rejected_base_shows_the_step_it_was_rejected_at():
    base = PilotBaseFactory(rejected=True)
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(base),
        object_id=base.pk,
        transition="reject_after_notice",
        source_state=Status.IN_NOTICE,
        state=Status.REJECTED,
        timestamp=timezone.now(),
    )
    steps = base_lifecycle(base, TODAY)
    (stopped,) = _current(steps)
    assert stopped.key == "notice" and stopped.state == "stopped" and stopped.deadline is None
    assert _states(steps)["approve"] == "todo" and _states(steps)["review"] == "done"


def test_a_base_revoked_after_recognition_stopped_in_its_assessment():
    base = PilotBaseFactory(revoked=True, recognized_on=date(2023, 6, 1))
    (stopped,) = _current(base_lifecycle(base, TODAY))
    assert stopped.key == "assess" and stopped.state == "stopped"
    base = PilotBaseFactory(revoked=True, recognized_on=None, acceptance_failed_on=date(2026, 1, 5))
    (stopped,) = _current(base_lifecycle(base, TODAY))
    assert stopped.key == "accept"


def test_the_tag_renders_an_ordered_list_with_the_current_step_marked(django_assert_max_num_queries):
    base = PilotBaseFactory(under_construction=True, construction_deadline=date(2027, 5, 1))
    with django_assert_max_num_queries(0):
        html = Template("{% load bases_tags %}{% base_lifecycle base %}").render(Context({"base": base}))
    assert "<ol" in html and html.count("<li") == 10
    assert html.count('aria-current="step"') == 1
    current = html.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert (
        "建设" in current
        and f'建设期满 <span class="text-nowrap">{date_format(date(2027, 5, 1), "SHORT_DATE_FORMAT")}'
        in current
    )
