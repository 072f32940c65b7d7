"""Personal data never reaches the logs: phone numbers, ID numbers and e-mail addresses are masked
in whatever the console handler writes (portal/log_redaction.py), over a public objection, a failed
and a successful sign-in and a URL someone typed a phone number into — at DEBUG level, so that any
library's record counts. (Public pages never show personal data: tests/portal/test_public_and_dashboards.py
and tests/reviews/test_notices.py.)"""

import io
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.log_redaction import RedactPersonalData, redact
from reviews.services import notices as services
from tests.factories import PilotBaseFactory

PHONE = "13912345678"
ID_NUMBER = "14090219800101123X"
LANDLINE = "0350-3036688"
EMAIL = "zhao.liu@example.cn"


@pytest.fixture
def console_log():
    """The portal's own console handler (settings.LOGGING), writing into a buffer, at DEBUG."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if any(isinstance(f, RedactPersonalData) for f in h.filters)]
    assert handlers, "settings.LOGGING's console handler has lost its personal-data filter"
    buffer = io.StringIO()
    saved = [(handler, handler.setStream(buffer)) for handler in handlers]
    level = root.level
    root.setLevel(logging.DEBUG)
    yield buffer
    root.setLevel(level)
    for handler, stream in saved:
        handler.setStream(stream)


def test_redaction_masks_phones_id_numbers_and_e_mail_but_not_other_numbers():
    text = f"电话{PHONE}，+86 {PHONE}，座机{LANDLINE}，身份证{ID_NUMBER}，邮箱{EMAIL}"
    assert redact(text) == "电话[PHONE]，[PHONE]，座机[PHONE]，身份证[ID]，邮箱[EMAIL]@example.cn"
    keep = "notification 12345 sha256 a13912345678b 2026-01-05 忻科字〔2026〕3号 t=1732867412345"
    assert redact(keep) == keep


def test_a_logged_exception_and_arguments_are_masked(console_log):
    logger = logging.getLogger("portal.tests.security")
    logger.info("objector %s (%s) rang", PHONE, EMAIL)
    try:
        raise ValueError(f"duplicate key (phone)=({PHONE}) id={ID_NUMBER}")
    except ValueError:
        logger.exception("save failed")
    output = console_log.getvalue()
    assert "objector [PHONE] ([EMAIL]@example.cn) rang" in output
    assert "ValueError: duplicate key (phone)=([PHONE]) id=[ID]" in output
    for secret in (PHONE, ID_NUMBER, EMAIL):
        assert secret not in output


@pytest.mark.django_db
def test_no_personal_data_in_the_logs_of_an_objection_and_a_sign_in(client, people, console_log):
    today = timezone.localdate()
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    notice = services.notice_publish(
        actor=people.bureau,
        title="拟立项建设名单公示",
        body="现予以公示。",
        starts_on=today,
        working_days=7,
        bases=[base],
        contact="0350-1234567",
        today=today,
    )
    response = client.post(
        reverse("notices:detail", args=[notice.pk]),
        {
            "entry": notice.entries.get().pk,
            "name": "赵六",
            "organisation": "某单位",
            "phone": PHONE,
            "email": EMAIL,
            "content": f"本人身份证号{ID_NUMBER}，联系电话{LANDLINE}。该基地申报的设备与实际不符。",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert notice.entries.get().objections.get().phone == PHONE

    # someone signs in with their phone number as the username, twice wrongly, then as themselves
    for _ in range(2):
        failed = client.post(reverse("accounts:login"), {"username": PHONE, "password": "wrong-password"})
        assert failed.status_code == 200
    people.staff_a.username = PHONE
    people.staff_a.save()
    signed_in = client.post(reverse("accounts:login"), {"username": PHONE, "password": "pw-for-tests"})
    assert signed_in.status_code == 302
    # and a phone number typed into a URL is logged (404) — masked
    assert client.get(f"/notices/{PHONE}/").status_code == 404

    output = console_log.getvalue()
    assert "AXES" in output  # the sign-ins were logged…
    assert "Not Found: /notices/[PHONE]/" in output  # …and so was the 404, masked
    for secret in (PHONE, ID_NUMBER, LANDLINE, EMAIL, "zhao.liu"):
        assert secret not in output, secret
