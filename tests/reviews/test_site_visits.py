"""Site visits (实地考察): optional at preliminary review (Art. 8-2), mandatory in the triennial
evaluation (Art. 17); recorded by the bureau with date, participants, findings and photos."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import Status
from portal.documents.models import Attachment
from reviews.models import SiteVisit, VisitPurpose
from reviews.selectors import site_visits_for
from reviews.services import site_visits as services
from tests.factories import PilotBaseFactory
from tests.uploads import MINIMAL_PDF

pytestmark = pytest.mark.django_db

# Well-formed images, recognised by content (libmagic): a 1×1 PNG and a minimal JFIF JPEG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc0000003"
    "010100c9fe92ef0000000049454e44ae426082"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def photo_png(name="现场1.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def photo_jpg(name="现场2.jpg"):
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


TODAY = date(2026, 5, 20)


def record(actor, base, **overrides):
    kwargs = {
        "actor": actor,
        "base": base,
        "purpose": VisitPurpose.PRELIMINARY,
        "visited_on": date(2026, 5, 18),
        "participants": "市科技局 张三、李四；特邀专家 王五",
        "findings": "场地、设备与申请书一致；中试线运行正常。",
        "photos": [],
        "today": TODAY,
    }
    kwargs.update(overrides)
    return services.site_visit_record(**kwargs)


@pytest.mark.parametrize("state", [Status.RECOMMENDED, Status.PRELIMINARY_PASSED])
def test_art8_2_bureau_records_a_preliminary_visit_with_photos(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    visit = record(people.bureau, base, photos=[photo_png(), photo_jpg()])
    assert (visit.base, visit.purpose, visit.visited_on, visit.created_by) == (
        base,
        VisitPurpose.PRELIMINARY,
        date(2026, 5, 18),
        people.bureau,
    )
    photos = list(visit.photos.order_by("pk"))
    assert [(p.purpose, p.original_name, p.uploaded_by) for p in photos] == [
        ("site_photo", "现场1.png", people.bureau),
        ("site_photo", "现场2.jpg", people.bureau),
    ]
    assert photos[0].file.read() == PNG_BYTES
    assert list(site_visits_for(base)) == [visit]
    assert list(site_visits_for(base, purpose=VisitPurpose.EVALUATION)) == []


def test_art17_an_evaluation_visit_is_for_a_recognised_base(people):
    recognised = PilotBaseFactory(host=people.host_a, recognized=True)
    visit = record(people.bureau, recognised, purpose=VisitPurpose.EVALUATION)
    assert visit.get_purpose_display() == "评估现场考察"
    with pytest.raises(TransitionRefused):
        record(people.bureau, PilotBaseFactory(host=people.host_a, recommended=True), purpose="evaluation")


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REJECTED, Status.RECOGNIZED]
)
def test_a_preliminary_visit_is_refused_outside_the_preliminary_review(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    with pytest.raises(TransitionRefused) as refused:
        record(people.bureau, base)
    assert "不能记录初审实地考察" in refused.value.message
    assert not SiteVisit.objects.exists()


@pytest.mark.parametrize(
    "actor_name", ["staff_a", "approver_a", "supervisor_a", "supervisor_b", "admin", "expert"]
)
def test_only_the_bureau_records_visits(people, actor_name):
    base = PilotBaseFactory(host=people.host_a, recommended=True)
    with pytest.raises(PermissionRefused):
        record(getattr(people, actor_name), base, photos=[photo_png()])
    assert not SiteVisit.objects.exists()
    assert not Attachment.objects.exists()


def test_photos_are_checked_by_content_and_nothing_is_kept_when_one_is_bad(people):
    base = PilotBaseFactory(host=people.host_a, recommended=True)
    disguised = SimpleUploadedFile("现场3.jpg", MINIMAL_PDF, content_type="image/jpeg")
    with pytest.raises(ApplicationInvalid) as refused:
        record(people.bureau, base, photos=[photo_png(), disguised])
    assert "现场3.jpg" in refused.value.field_errors["photos"]
    assert not SiteVisit.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"visited_on": date(2026, 5, 21)}, "visited_on"),
        ({"participants": "  "}, "participants"),
        ({"findings": ""}, "findings"),
    ],
    ids=["future-date", "no-participants", "no-findings"],
)
def test_a_visit_needs_a_past_date_participants_and_findings(people, overrides, field):
    base = PilotBaseFactory(host=people.host_a, recommended=True)
    with pytest.raises(ApplicationInvalid) as refused:
        record(people.bureau, base, **overrides)
    assert list(refused.value.field_errors) == [field]
    assert not SiteVisit.objects.exists()
