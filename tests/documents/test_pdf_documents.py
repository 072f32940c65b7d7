"""Official documents as PDF: each renders with its real content in Chinese with
embedded CJK fonts, the bureau's documents carry consecutive numbers (also when issued at once), and
an issued document downloads again byte-identical."""

import hashlib
import io
import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from bases.models import Status
from bases.services import funds
from portal.documents import issuing as documents
from portal.documents.models import IssuedDocument
from portal.documents.services import document_number_allocate
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def text_and_fonts(pdf: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font[
                "/BaseFont"
            ]
            fonts.add(str(font["/BaseFont"]))
    return "".join(text.split()), fonts


def test_the_bureau_documents_render_with_content_numbers_and_cjk_fonts(people):
    approved = PilotBaseFactory(
        host=people.host_a,
        approved=True,
        approved_on=date(2026, 3, 2),
        name="忻州市硅基新材料中试基地",
        rd_direction="硅基新材料",
    )
    first = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    assert first.number == f"忻科字〔{first.year}〕1号"
    text, fonts = text_and_fonts(first.file.read())
    for expected in (
        "忻州市科学技术局文件",
        first.number,
        "关于同意忻州市硅基新材料中试基地立项建设的通知",
        "建设计划任务书",
    ):
        assert "".join(expected.split()) in text, expected
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts

    recognised = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2026, 5, 6))
    funds.award_create(base=recognised, today=date(2026, 5, 6))
    second = documents.document_issue(actor=people.bureau, kind_key="recognition_notice", subject=recognised)
    assert second.sequence == first.sequence + 1
    text, _fonts = text_and_fonts(second.file.read())
    assert "认定为忻州市中试基地" in text and "200,000.00元" in text

    revoked = PilotBaseFactory(
        host=people.host_a, status=Status.REVOKED, revoked_on=date(2026, 7, 1), revocation_article="第十六条"
    )
    revoked.revocation_reason = "two_consecutive_failures"
    revoked.save()
    third = documents.document_issue(actor=people.bureau, kind_key="revocation_decision", subject=revoked)
    text, _fonts = text_and_fonts(third.file.read())
    assert "撤销" in text and "第十六条" in text and "连续两年年度考核不合格" in text


def test_forms_render_the_application_and_refuse_what_does_not_exist_yet(people):
    from portal.site.demo.application import fill_complete_application

    base = fill_complete_application(actor=people.staff_a, base=PilotBaseFactory(host=people.host_a))
    pdf = documents.document_preview(actor=people.staff_a, kind_key="application", subject=base)
    text, fonts = text_and_fonts(pdf)
    assert "市中试基地建设申请书" in text and base.name in text and "草稿" in text
    assert any("CJK" in f for f in fonts)
    with pytest.raises(documents.TransitionRefused, match="尚未填报"):
        documents.document_preview(actor=people.staff_a, kind_key="task_book", subject=base)
    with pytest.raises(documents.PermissionRefused):
        documents.document_preview(actor=people.staff_a, kind_key="approval_notice", subject=base)


def test_an_issued_document_downloads_again_byte_identical(client, people):
    base = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 2))
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=base)
    client.force_login(people.staff_a)
    for _ in range(2):
        response = client.get(reverse("bases:document_download", args=[document.pk]))
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == document.sha256
    client.force_login(people.staff_b)
    assert client.get(reverse("bases:document_download", args=[document.pk])).status_code == 404


def test_numbers_are_consecutive_per_year():
    numbers = [document_number_allocate(year=2031)[1] for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert document_number_allocate(year=2032)[0] == "忻科字〔2032〕1号"


@pytest.mark.skipif(not ON_POSTGRES, reason="two transactions at once need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_numbers_issued_at_once_are_never_repeated_or_skipped():
    barrier, numbers = threading.Barrier(4), []

    def allocate():
        from django.db import transaction

        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(document_number_allocate(year=2033)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [1, 2, 3, 4]
    assert not IssuedDocument.objects.exists()


def test_the_dossier_holds_the_issued_documents_and_the_attachments(client, people):
    import zipfile

    from bases.models import PilotBase
    from bases.services import evidence_attach
    from tests.uploads import pdf as upload

    base = PilotBaseFactory(host=people.host_a)
    evidence_attach(actor=people.staff_a, base=base, condition=1, file=upload())  # filed as a draft
    PilotBase.objects.filter(pk=base.pk).update(status=Status.APPROVED, approved_on=date(2026, 3, 2))
    base.refresh_from_db()
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=base)
    client.force_login(people.staff_a)
    response = client.get(reverse("bases:dossier", args=[base.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert any(n.startswith("已出具文件/") and document.number in n for n in names)
    assert any(n.startswith("申请书证明材料/") for n in names)
    issued = next(n for n in names if n.startswith("已出具文件/"))
    assert hashlib.sha256(archive.read(issued)).hexdigest() == document.sha256
    client.force_login(people.staff_b)
    assert client.get(reverse("bases:dossier", args=[base.pk])).status_code == 404


def test_every_other_document_renders_its_content(people):
    from assessments.services.reporting import round_open
    from bases.services import filings
    from reviews.models import Panel
    from reviews.services import notices

    submitted = PilotBaseFactory(
        host=people.host_a, submitted=True, name="忻州市推荐测试中试基地", rd_direction="推荐测试"
    )
    _title, pdf = documents.render(documents.KINDS["recommendation_letter"], submitted)
    assert "推荐函" in text_and_fonts(pdf)[0] and "同意推荐" in text_and_fonts(pdf)[0]

    approved = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 2))
    filings.filing_create(
        actor=people.staff_a,
        base=approved,
        kind="task-book",
        data={
            "goals": "建成中试线",
            "construction_content": "改造车间",
            "staffing": "十人",
            "expected_outputs": "专利三件",
        },
        milestones=[{"year": 2026, "content": "设备安装"}],
    )
    assert "建成中试线" in text_and_fonts(documents.render(documents.KINDS["task_book"], approved)[1])[0]

    in_review = PilotBaseFactory(host=people.host_a, review_passed=True)
    notice = notices.notice_publish(
        actor=people.bureau,
        title="测试公示",
        body="现予公示。",
        starts_on=date(2026, 9, 30),
        working_days=7,
        bases=[in_review],
        today=date(2026, 9, 29),
    )
    text = text_and_fonts(documents.render(documents.KINDS["notice"], notice)[1])[0]
    assert "测试公示" in text and in_review.name in text and "2026年10月14日" in text

    report_round = round_open(actor=people.bureau, year=2025, today=date(2026, 1, 5))
    text = text_and_fonts(documents.render(documents.KINDS["grading_results"], report_round)[1])[0]
    assert "2025年度市中试基地考核结果的通报" in text

    panel = Panel.objects.create(
        title="汇总测试专家组",
        purpose="establishment",
        template_name="t",
        due_on=date(2026, 12, 1),
        created_by=people.bureau,
    )
    panel.panel_bases.create(base=in_review)
    text = text_and_fonts(documents.render(documents.KINDS["score_summary"], panel)[1])[0]
    assert "专家评审评分汇总表" in text and "汇总测试专家组" in text
