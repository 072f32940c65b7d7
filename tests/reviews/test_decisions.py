"""Art. 8-3: the Party-group meeting approves or rejects each base whose notice cleared."""

from datetime import date

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from bases.exceptions import ApplicationInvalid, PermissionRefused, StaleState
from bases.models import Status
from reviews.models import MeetingDecision, PartyGroupMeeting
from reviews.services.decisions import meeting_record
from tests.factories import PEOPLE, PilotBaseFactory
from tests.uploads import pdf, upload

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


@pytest.fixture
def cleared(people):
    return [PilotBaseFactory(host=people.host_a, status=Status.NOTICE_CLEARED) for _ in range(3)]


def test_art8_3_a_meeting_approves_and_rejects_in_one_go(people, cleared):
    a, b, c = cleared
    meeting = meeting_record(
        actor=people.bureau,
        held_on=date(2026, 11, 20),
        minutes_no="2026年第12次",
        decisions={a.pk: ("approve", ""), b.pk: ("reject", "技术路线尚不成熟")},
        today=TODAY,
    )
    for base in cleared:
        base.refresh_from_db()
    assert (a.status, a.approved_on) == (Status.APPROVED, date(2026, 11, 20))
    assert b.status == Status.REJECTED
    assert c.status == Status.NOTICE_CLEARED  # not decided at this meeting: waits for the next
    assert meeting.decisions.count() == 2
    assert MeetingDecision.objects.get(base=b).reason == "技术路线尚不成熟"
    assert "2026年第12次" in StateLog.objects.for_(a).get(transition="approve").description


def test_not_approving_needs_a_reason(people, cleared):
    with pytest.raises(ApplicationInvalid) as refused:
        meeting_record(
            actor=people.bureau,
            held_on=date(2026, 11, 20),
            minutes_no="1",
            decisions={cleared[0].pk: ("reject", " ")},
            today=TODAY,
        )
    assert f"reason_{cleared[0].pk}" in refused.value.field_errors
    assert not PartyGroupMeeting.objects.exists()


@pytest.mark.parametrize(
    ("held_on", "minutes_no", "field"),
    [(None, "1", "held_on"), (date(2026, 12, 1), "1", "held_on"), (date(2026, 11, 20), "", "minutes_no")],
)
def test_the_meeting_needs_a_past_date_and_a_minutes_number(people, cleared, held_on, minutes_no, field):
    with pytest.raises(ApplicationInvalid) as refused:
        meeting_record(
            actor=people.bureau,
            held_on=held_on,
            minutes_no=minutes_no,
            decisions={cleared[0].pk: ("approve", "")},
            today=TODAY,
        )
    assert field in refused.value.field_errors


def test_minutes_numbers_do_not_repeat(people, cleared):
    meeting_record(
        actor=people.bureau,
        held_on=date(2026, 11, 20),
        minutes_no="12",
        decisions={cleared[0].pk: ("approve", "")},
    )
    with pytest.raises(ApplicationInvalid) as refused:
        meeting_record(
            actor=people.bureau,
            held_on=date(2026, 11, 21),
            minutes_no="12",
            decisions={cleared[1].pk: ("approve", "")},
            today=TODAY,
        )
    assert "已被使用" in refused.value.field_errors["minutes_no"]


def test_a_base_no_longer_awaiting_stops_the_whole_meeting(people, cleared):
    withdrawn = PilotBaseFactory(host=people.host_a, status=Status.WITHDRAWN)
    with pytest.raises(StaleState, match="已不在待决定状态"):
        meeting_record(
            actor=people.bureau,
            held_on=date(2026, 11, 20),
            minutes_no="13",
            decisions={cleared[0].pk: ("approve", ""), withdrawn.pk: ("approve", "")},
            today=TODAY,
        )
    cleared[0].refresh_from_db()
    assert cleared[0].status == Status.NOTICE_CLEARED  # nothing recorded
    assert not PartyGroupMeeting.objects.exists()


@pytest.mark.parametrize("who", [p for p in PEOPLE if p != "bureau"])
def test_only_the_bureau_records_decisions(people, cleared, who):
    with pytest.raises(PermissionRefused):
        meeting_record(
            actor=getattr(people, who),
            held_on=date(2026, 11, 20),
            minutes_no="14",
            decisions={cleared[0].pk: ("approve", "")},
            today=TODAY,
        )


def test_the_form_keeps_what_was_typed_when_refused_and_records_when_right(client, people, cleared):
    client.force_login(people.bureau)
    a, b, _c = cleared
    data = {
        "held_on": "2026-11-20",
        "minutes_no": "2026-12",
        "note": "会议备注",
        f"outcome_{a.pk}": "approve",
        f"outcome_{b.pk}": "reject",
        f"reason_{b.pk}": "",
    }
    response = client.post(reverse("reviews:decision_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "不予立项的，请填写理由" in html and "2026-12" in html and "会议备注" in html
    assert "请上传会议纪要（PDF）" in html  # the decision rests on its minutes (Art. 8-3)
    data[f"reason_{b.pk}"] = "暂缓"
    response = client.post(
        reverse("reviews:decision_new"), {**data, "minutes": upload("纪要.pdf", b"plain text, not a PDF")}
    )
    assert response.status_code == 200 and "2026-12" in response.content.decode()
    assert not PartyGroupMeeting.objects.exists()  # not a PDF: refused before anything is written
    response = client.post(reverse("reviews:decision_new"), {**data, "minutes": pdf("会议纪要.pdf")})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.APPROVED
    meeting = PartyGroupMeeting.objects.get()
    listing = client.get(reverse("reviews:decision_list")).content.decode()
    minutes_url = reverse("reviews:decision_minutes", args=[meeting.pk])
    assert minutes_url in listing
    assert client.get(minutes_url)["Content-Type"] == "application/pdf"
    client.force_login(people.staff_a)  # the host reads its decision in the approval notice
    assert client.get(minutes_url).status_code == 404
