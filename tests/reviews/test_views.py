"""The bureau's screens: the preliminary checklist and the site-visit form. Every other role (in or
out of scope) gets a 404; a refused POST keeps what was typed; success redirects to the base."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_fsm_log.models import StateLog

from bases.models import Status
from reviews.models import ChecklistItem, PreliminaryCheck, SiteVisit
from reviews.services import preliminary as services
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db

PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc0000003"
    "010100c9fe92ef0000000049454e44ae426082"
)


def photo_png(name):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def all_ok() -> dict:
    return dict.fromkeys(ChecklistItem.values, (True, ""))


OTHERS = ["staff_a", "approver_a", "supervisor_a", "supervisor_b", "staff_b", "expert", "admin"]


@pytest.fixture
def base(people):
    return PilotBaseFactory(host=people.host_a, recommended=True)


def url(name, base):
    return reverse(f"reviews:{name}", args=[base.pk])


def login(client, user):
    client.force_login(user)
    return client


def checklist_post(check, action, items=None, comment=""):
    data = {"check": check.pk, "status": check.base.status, "action": action, "comment": comment}
    for key, (ok, note) in (items or {}).items():
        if ok is not None:
            data[f"ok_{key}"] = "yes" if ok else "no"
        data[f"note_{key}"] = note
    return data


# --- who may see the screens ----------------------------------------------------------------------
def test_bureau_opens_the_checklist(client, people, base):
    response = login(client, people.bureau).get(url("preliminary", base))
    assert response.status_code == 200
    html = response.content.decode()
    assert base.name in html and base.host.name in html
    assert reverse("bases:detail", args=[base.pk]) in html
    for label in ChecklistItem.labels:
        assert str(label) in html
    assert 'name="ok_finances"' in html and 'name="note_finances"' in html
    assert "data-confirm=" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script"
    check = PreliminaryCheck.objects.get(base=base)
    assert (check.round, check.is_open) == (1, True)


@pytest.mark.parametrize("name", ["preliminary", "site_visit_new"])
@pytest.mark.parametrize("actor_name", OTHERS)
def test_every_other_role_gets_a_404(client, people, base, name, actor_name):
    login(client, getattr(people, actor_name))
    assert client.get(url(name, base)).status_code == 404
    assert client.post(url(name, base), {"action": "pass"}).status_code == 404
    assert not PreliminaryCheck.objects.exists()
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED


@pytest.mark.parametrize("name", ["preliminary", "site_visit_new"])
def test_anonymous_is_sent_to_login(client, base, name):
    response = client.get(url(name, base))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["preliminary", "site_visit_new"])
def test_an_unknown_base_is_a_404(client, people, name):
    login(client, people.bureau)
    assert client.get(reverse(f"reviews:{name}", args=[999999])).status_code == 404


def test_a_base_outside_the_preliminary_review_is_shown_read_only(client, people):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    response = login(client, people.bureau).get(url("preliminary", base))
    assert response.status_code == 200
    html = response.content.decode()
    assert "不在初审阶段" in html
    assert 'name="action"' not in html
    assert not PreliminaryCheck.objects.exists()


# --- posting the checklist ------------------------------------------------------------------------
def test_save_keeps_the_draft_and_returns_to_the_page(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    data = checklist_post(check, "save", {"finances": (False, "缺少审计报告")}, comment="草稿意见")
    response = client.post(url("preliminary", base), data)
    assert response.status_code == 302
    assert response.url == url("preliminary", base)
    item = check.items.get(key="finances")
    assert (item.ok, item.note) == (False, "缺少审计报告")
    check.refresh_from_db()
    assert check.comment == "草稿意见"
    page = client.get(url("preliminary", base)).content.decode()
    assert "缺少审计报告" in page and "草稿意见" in page


def test_a_refused_conclusion_keeps_what_was_typed(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    items = all_ok()
    items["environment"] = (False, "环评批复已过期，请补充新批复")
    response = client.post(url("preliminary", base), checklist_post(check, "pass", items, comment="意见草稿"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "全部检查项均确认符合" in html
    assert str(ChecklistItem.ENVIRONMENT.label) + "（不符合）" in html
    assert "环评批复已过期，请补充新批复" in html
    assert "意见草稿" in html
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED
    # and the draft is kept, so leaving the page loses nothing either
    assert check.items.get(key="environment").note == "环评批复已过期，请补充新批复"


def test_return_redirects_to_the_base_with_the_notes_sent(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    data = checklist_post(check, "return", {"finances": (False, "缺少近三年审计报告")}, comment="请修改")
    response = client.post(url("preliminary", base), data)
    assert response.status_code == 302
    assert response.url == reverse("bases:detail", args=[base.pk])
    base.refresh_from_db()
    assert base.status == Status.RETURNED
    log = StateLog.objects.for_(base).order_by("-pk").first()
    assert "缺少近三年审计报告" in log.description and "请修改" in log.description


def test_pass_redirects_to_the_base(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    response = client.post(url("preliminary", base), checklist_post(check, "pass", all_ok()))
    assert response.status_code == 302
    assert response.url == reverse("bases:detail", args=[base.pk])
    base.refresh_from_db()
    assert base.status == Status.PRELIMINARY_PASSED


def test_reject_without_reasons_stays_on_the_page(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    response = client.post(
        url("preliminary", base), checklist_post(check, "reject", {"safety": (False, "事故")})
    )
    assert response.status_code == 200
    assert "不通过的理由" in response.content.decode()
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED


def test_a_stale_page_shows_its_message(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    services.preliminary_check_conclude(actor=people.bureau, check=check, decision="reject", comment="不符合")
    response = client.post(url("preliminary", base), checklist_post(check, "return", comment="我的意见"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "已由他人完成" in html
    assert "我的意见" in html
    base.refresh_from_db()
    assert base.status == Status.REJECTED


# --- site visits ----------------------------------------------------------------------------------
def test_bureau_records_a_visit_with_photos(client, people, base):
    login(client, people.bureau)
    assert client.get(url("site_visit_new", base)).status_code == 200
    response = client.post(
        url("site_visit_new", base),
        {
            "purpose": "preliminary",
            "visited_on": "2026-01-15",
            "participants": "张三、李四",
            "findings": "现场情况与申请书一致。",
            "photos": [photo_png("a.png"), photo_png("b.png")],
        },
    )
    assert response.status_code == 302
    assert response.url == url("preliminary", base)
    visit = SiteVisit.objects.get(base=base)
    assert sorted(p.original_name for p in visit.photos.all()) == ["a.png", "b.png"]
    page = client.get(url("preliminary", base)).content.decode()
    assert "现场情况与申请书一致。" in page


def test_a_refused_visit_keeps_what_was_typed(client, people, base):
    login(client, people.bureau)
    response = client.post(
        url("site_visit_new", base),
        {
            "purpose": "preliminary",
            "visited_on": "2099-01-01",  # within the portal's date range, after today
            "participants": "张三",
            "findings": "情况良好",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "考察日期不能晚于今天" in html
    assert "情况良好" in html
    assert not SiteVisit.objects.exists()


def test_an_unknown_action_changes_nothing(client, people, base):
    login(client, people.bureau).get(url("preliminary", base))
    check = PreliminaryCheck.objects.get(base=base)
    response = client.post(
        url("preliminary", base), checklist_post(check, "approve", {"mode": (False, "分工不明")})
    )
    assert response.status_code == 200
    assert "请选择要执行的操作" in response.content.decode()
    assert check.items.get(key="mode").ok is None
