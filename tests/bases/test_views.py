"""The bases screens: lists with bounded queries, the application form saving anything at any point,
and bad input answered with a clear message and nothing lost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm_log.models import StateLog

from bases.models import PilotBase, Status
from portal.parameters import set_parameter
from portal.site.demo.application import fill_complete_application
from tests.factories import HostUnitFactory, PilotBaseFactory
from tests.uploads import EXE, pdf, upload

pytestmark = pytest.mark.django_db


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url", ["/bases/", "/bases/?status=submitted&sort=host&q=依托", "/workspace/"])
def test_list_pages_run_a_bounded_number_of_queries(client, people, url):
    client.force_login(people.bureau)
    hosts = [HostUnitFactory() for _ in range(3)]
    for i in range(5):
        PilotBaseFactory(host=hosts[i % 3], status=Status.SUBMITTED if i % 2 else Status.RECOMMENDED)
    _list_queries(client, url)  # the steady state: the user's rights in the cache (with Redis)
    few, _ = _list_queries(client, url)
    for i in range(195):
        PilotBaseFactory(host=hosts[i % 3], status=Status.SUBMITTED if i % 2 else Status.RECOMMENDED)
    assert PilotBase.objects.count() == 200
    many, _ = _list_queries(client, url)
    assert many == few, f"{url}: {few} queries with 5 rows, {many} with 200"
    assert few <= 15


def test_list_filters_by_county_and_text(client, people):
    PilotBaseFactory(host=people.host_a, name="忻州市氢能中试基地", rd_direction="氢能")
    PilotBaseFactory(host=people.host_b, name="忻州市光伏中试基地", rd_direction="光伏")
    client.force_login(people.bureau)
    html = client.get("/bases/?q=氢能").content.decode()
    assert "忻州市氢能中试基地" in html and "忻州市光伏中试基地" not in html
    html = client.get("/bases/?rd_direction=光伏").content.decode()
    assert "忻州市光伏中试基地" in html and "忻州市氢能中试基地" not in html


def test_list_is_paginated(client, people):
    for _ in range(25):
        PilotBaseFactory(host=people.host_a)
    client.force_login(people.staff_a)
    first = client.get("/bases/")
    assert len(first.context["bases"]) == 20
    second = client.get("/bases/?page=2")
    assert len(second.context["bases"]) == 5


def test_a_bad_filter_value_is_reported_not_a_500(client, people):
    client.force_login(people.bureau)
    response = client.get("/bases/?year=abc&status=nonsense")
    assert response.status_code == 200
    html = response.content.decode()
    assert "输入一个数字" in html and "nonsense 不在可用的选项中" in html


# --- the application form -----------------------------------------------------------------------
def test_host_creates_a_draft_and_saves_a_section(client, people):
    client.force_login(people.staff_a)
    response = client.post("/bases/new/", {"rd_direction": "氢能装备", "name": "忻州市氢能装备中试基地"})
    base = PilotBase.objects.get(name="忻州市氢能装备中试基地")
    assert response.url == reverse("bases:edit", args=[base.pk, "basic"])
    response = client.post(
        reverse("bases:edit", args=[base.pk, "director"]),
        {
            "director_name": "李明",
            "director_title": "研究员",
            "papers-TOTAL_FORMS": "1",
            "papers-INITIAL_FORMS": "0",
            "papers-0-title": "氢能装备研究",
            "papers-0-journal": "能源学报",
            "papers-0-published_year": "2024",
            "next": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("bases:edit", args=[base.pk, "equipment"])
    base.refresh_from_db()
    assert base.director_name == "李明"
    assert list(base.papers.values_list("title", flat=True)) == ["氢能装备研究"]


def test_a_wrong_name_pattern_is_refused_and_the_rest_is_kept(client, people):
    base = PilotBaseFactory(host=people.host_a)
    client.force_login(people.staff_a)
    response = client.post(
        reverse("bases:edit", args=[base.pk, "basic"]),
        {"name": "氢能研究院", "rd_direction": "氢能", "summary": "我们的简介", "contact_name": "王工"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "忻州市+研发方向+中试基地" in html
    assert "我们的简介" in html and "王工" in html  # nothing typed is lost
    base.refresh_from_db()
    assert base.summary == ""


def test_the_name_is_checked_as_the_user_types(client, people):
    client.force_login(people.staff_a)
    bad = client.post(reverse("bases:name_check"), {"name": "忻州市中试基地", "rd_direction": ""})
    assert "✗" in bad.content.decode()
    good = client.post(reverse("bases:name_check"), {"name": "忻州市氢能中试基地", "rd_direction": "氢能"})
    assert "符合第十八条" in good.content.decode()


def _conditions_post(files: dict, affirmed=True):
    data = {}
    for n in range(1, 9):
        data[f"c{n}-affirmed"] = "on" if affirmed else ""
        data[f"c{n}-statement"] = f"说明{n}"
    data.update(files)
    return data


def test_a_renamed_exe_is_refused_by_name_and_the_good_files_are_kept(client, people):
    base = PilotBaseFactory(host=people.host_a)
    client.force_login(people.staff_a)
    response = client.post(
        reverse("bases:edit", args=[base.pk, "conditions"]),
        _conditions_post(
            {"c1-evidence": [pdf("环评批复.pdf")], "c2-evidence": [upload("合作协议.pdf", EXE)]}
        ),
    )
    assert response.status_code == 200
    assert "文件“合作协议.pdf”的内容不是允许的类型" in response.content.decode()
    names = [a.original_name for c in base.conditions.all() for a in c.evidence.all()]
    assert names == ["环评批复.pdf"]  # the good file is kept; no need to upload it again
    assert "环评批复.pdf" in response.content.decode()
    assert base.conditions.get(condition=3).statement == "说明3"


def test_an_oversized_file_is_refused_with_its_name(client, people):
    set_parameter("upload_max_mb", 1)
    base = PilotBaseFactory(host=people.host_a)
    client.force_login(people.staff_a)
    big = upload("设备清单.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 5))
    response = client.post(
        reverse("bases:edit", args=[base.pk, "conditions"]), _conditions_post({"c1-evidence": [big]})
    )
    assert "文件“设备清单.pdf”大小为 1.0 MB，超过 1 MB 的上限" in response.content.decode()
    assert not base.conditions.get(condition=1).evidence.exists()


def test_submitting_an_incomplete_application_lists_what_is_missing(client, people):
    base = PilotBaseFactory(host=people.host_a)
    client.force_login(people.approver_a)
    response = client.post(reverse("bases:step", args=[base.pk, "submit"]), {"expected_status": "draft"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "申请书尚不完整" in html and "基本条件（一）：尚未承诺符合" in html
    base.refresh_from_db()
    assert base.status == Status.DRAFT


def test_a_double_submit_runs_once_and_the_second_gets_a_clear_message(client, people):
    base = fill_complete_application(actor=people.staff_a, base=PilotBaseFactory(host=people.host_a))
    client.force_login(people.approver_a)
    url = reverse("bases:step", args=[base.pk, "submit"])
    first = client.post(url, {"expected_status": "draft", "comment": "同意提交"})
    second = client.post(url, {"expected_status": "draft", "comment": "同意提交"}, follow=True)
    assert first.status_code == 302
    assert "已被他人处理" in second.content.decode()
    assert StateLog.objects.for_(base).filter(transition="submit").count() == 1


def test_recommend_without_a_letter_keeps_the_comment(client, people):
    base = PilotBaseFactory(host=people.host_a, status=Status.SUBMITTED)
    client.force_login(people.supervisor_a)
    response = client.post(
        reverse("bases:step", args=[base.pk, "recommend"]),
        {"expected_status": "submitted", "comment": "同意推荐"},
    )
    html = response.content.decode()
    assert "请上传正式推荐文件" in html and "同意推荐" in html


def test_the_detail_page_shows_the_timeline_with_role_and_organisation(client, people):
    base = PilotBaseFactory(host=people.host_a, status=Status.SUBMITTED)
    client.force_login(people.supervisor_a)
    client.post(
        reverse("bases:step", args=[base.pk, "recommend"]),
        {"expected_status": "submitted", "comment": "同意推荐", "letter": pdf("推荐函.pdf")},
    )
    client.force_login(people.staff_a)
    html = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert "同意推荐" in html and "推荐函.pdf" in html
    assert "归口管理单位 · 甲县工信和科技局" in html


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (Status.RECOGNIZED, "text-bg-success"),
        (Status.RETURNED, "text-bg-warning"),
        (Status.DRAFT, "text-bg-light border"),
        (Status.REVOKED, "text-bg-secondary"),
        (Status.SUBMITTED, "text-bg-primary"),
    ],
)
def test_the_status_badge_shows_the_state_in_its_colour(client, people, status, colour):
    base = PilotBaseFactory(host=people.host_a, status=status)
    client.force_login(people.bureau)
    label = base.get_status_display()
    badge = f'<span class="badge rounded-pill status-badge status-{status} {colour}">{label}</span>'
    assert badge in client.get("/bases/").content.decode()
    assert badge in client.get(f"/bases/{base.pk}/").content.decode()


def test_the_workspace_lists_waiting_filings_of_every_kind_oldest_first_within_scope(client, people):
    """Filings waiting for the bureau (approved by the county), from one query over the six kinds and
    one per kind that has any; another state or another jurisdiction is not listed."""
    from datetime import timedelta

    from django.utils import timezone

    from bases.models import ChangeRequest, ExtensionRequest, TaskBook

    base_a = PilotBaseFactory(host=people.host_a, under_construction=True)
    base_b = PilotBaseFactory(host=people.host_b, recognized=True)
    book = TaskBook.objects.create(
        base=base_a,
        created_by=people.staff_a,
        goals="目标",
        construction_content="内容",
        staffing="人员",
        state="supervisor_approved",
    )
    extension = ExtensionRequest.objects.create(
        base=base_a,
        created_by=people.staff_a,
        reasons="原因",
        months_requested=6,
        state="supervisor_approved",
    )
    change = ChangeRequest.objects.create(
        base=base_b, created_by=people.staff_b, kind="name", report="更名", state="supervisor_approved"
    )
    ChangeRequest.objects.create(
        base=base_b, created_by=people.staff_b, kind="name", report="草稿", state="draft"
    )
    now = timezone.now()
    for filing, days in ((extension, 3), (change, 2), (book, 1)):  # the extension has waited longest
        type(filing).objects.filter(pk=filing.pk).update(updated_at=now - timedelta(days=days))

    client.force_login(people.bureau)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workspace/")
    waiting = response.context["filing_todos"]
    assert [(kind, f.pk) for kind, f in waiting] == [
        ("extension", extension.pk),
        ("change", change.pk),
        ("task-book", book.pk),
    ]
    # one query over the six kinds, then one for each of the three kinds that have filings waiting
    assert len([q for q in queries.captured_queries if "UNION" in q["sql"]]) == 1
    fetched = [q for q in queries.captured_queries if '."id" IN (' in q["sql"] and "filing" not in q["sql"]]
    assert len(fetched) <= 3
    assert reverse("bases:filing", args=["extension", extension.pk]) in response.content.decode()
    # the county sees what waits for it: nothing is submitted to it here
    client.force_login(people.supervisor_a)
    assert client.get("/workspace/").context["filing_todos"] == []
