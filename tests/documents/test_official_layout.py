"""Every kind of document, read back from the rendered PDF (GB/T 9704-2012 for the bureau's
公文): the content of its source record in the official order, and for the 公文 the layout —
发文机关标志, 发文字号 〔YYYY〕N号, title 2号 and body 3号, 22 lines × 28 characters, Chinese dates,
signature and date never alone on a page, 附件说明 with the attachment, 版记 with 抄送 and 印发,
page numbers "— 1 —", and the verification code of an issued document."""

import itertools
import re
from datetime import date

import pytest
from django.utils import timezone

from assessments.models import AnnualGrade, ReportingRound
from bases.models import Status
from bases.services import filings, funds
from portal.documents import issuing as documents
from tests.documents.pdf_reading import PT_PER_MM, lines, page_texts
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LATIN = re.compile(r"[A-Za-z0-9]")
LEFT = 28 * PT_PER_MM  # 订口 28 mm
LINE_PITCH = 225 / 22 * PT_PER_MM  # 版心 225 mm / 22 lines


def _subjects(people):
    """One subject of every 公文 kind, with content that runs onto a second page."""
    approved = PilotBaseFactory(
        host=people.host_a, approved=True, approved_on=date(2026, 3, 5), name="忻州市硅基新材料中试基地"
    )
    recognised = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2026, 5, 6))
    funds.award_create(base=recognised, today=date(2026, 5, 6))
    revoked = PilotBaseFactory(
        host=people.host_a, status=Status.REVOKED, revoked_on=date(2026, 7, 1), revocation_article="第十六条"
    )
    revoked.revocation_reason = "two_consecutive_failures"
    revoked.save()

    from reviews.services import notices

    in_review = PilotBaseFactory(host=people.host_a, review_passed=True)
    notice = notices.notice_publish(
        actor=people.bureau,
        title="2026年度忻州市中试基地拟立项建设名单公示",
        body="现予以公示。有异议的，请以实名方式通过本页面提出书面意见。",
        starts_on=date(2026, 9, 30),
        working_days=7,
        bases=[in_review],
        today=date(2026, 9, 29),
    )
    report_round = ReportingRound.objects.create(
        year=2025,
        due_on=date(2026, 1, 31),
        grace_ends_on=date(2026, 2, 28),
        opened_by=people.bureau,
        published_at=timezone.make_aware(timezone.datetime(2026, 3, 10, 9)),
    )
    AnnualGrade.objects.create(
        base=recognised, year=2025, grade="excellent", graded_by=people.bureau, graded_on=date(2026, 3, 1)
    )
    return {
        "approval_notice": (approved, "关于同意忻州市硅基新材料中试基地立项建设的通知", "2026年3月5日"),
        "recognition_notice": (recognised, "中试基地为市中试基地的通知", "2026年5月6日"),
        "revocation_decision": (revoked, "市中试基地资格的决定", "2026年7月1日"),
        "notice": (notice, "2026年度忻州市中试基地拟立项建设名单公示", "2026年9月30日"),
        "grading_results": (report_round, "关于2025年度市中试基地考核结果的通报", "2026年3月10日"),
    }


@pytest.fixture
def issued(people):
    return {
        key: (documents.document_issue(actor=people.bureau, kind_key=key, subject=subject), title, day)
        for key, (subject, title, day) in _subjects(people).items()
    }


@pytest.mark.parametrize(
    "kind", ["approval_notice", "recognition_notice", "revocation_decision", "notice", "grading_results"]
)
def test_gbt9704_layout_of_every_official_document(issued, kind):
    document, title, day = issued[kind]
    pdf = document.file.read()
    pages = page_texts(pdf)
    text = "".join(pages)
    found = lines(pdf)

    # 发文机关标志, 发文字号 〔YYYY〕N号 on the first page, then the title
    assert pages[0].startswith("忻州市科学技术局文件")
    assert re.fullmatch(r"忻科字〔2026〕\d+号", document.number) and document.number in pages[0]
    assert title in text

    # title 2号 (22 pt), body 3号 (16 pt): the boxes of their lines are in that proportion
    # (a line's box is the font's height: 1.44 × its size)
    title_line = next(line for line in found if 22 * 1.3 < line.height < 22 * 1.6)
    body = [
        line
        for line in found
        if line.page == 1 and line.y > title_line.y and 16 * 1.3 < line.height < 16 * 1.6
    ]
    assert body, "no body text on page 1"
    assert title_line.height / body[0].height == pytest.approx(22 / 16, rel=0.02)

    # 22 lines a page: every body line sits on the grid of 225/22 mm; 28 characters a line at most
    rows = sorted({round(line.y, 1) for line in body})
    steps = [(b - a) / LINE_PITCH for a, b in itertools.pairwise(rows)]
    assert steps and min(steps) == pytest.approx(1, abs=0.01)
    assert all(step == pytest.approx(round(step), abs=0.01) for step in steps), steps
    full_lines = [line for line in found if abs(line.x - LEFT) < 1 and 16 * 1.3 < line.height < 16 * 1.6]
    assert all(line.right <= LEFT + 156 * PT_PER_MM + 0.5 for line in full_lines)
    assert (
        max(
            len(line.text)
            for line in full_lines
            if line.text.isascii() is False and not LATIN.search(line.text)
        )
        <= 28
    )

    # dates in Chinese, never ISO, in the whole document
    assert day in text
    assert not ISO_DATE.search(text)

    # the signature and date stay with the last paragraph
    signature_page = next((p for p in pages if "忻州市科学技术局" + day in p), None)
    assert signature_page, pages
    assert re.search(r"特此(通知|决定|公示|通报)。", signature_page), signature_page[:200]

    # 附件说明 and the attachment on a page of its own (the lists of the notice and the bulletin)
    if kind in ("notice", "grading_results"):
        assert "附件：" in signature_page
        attachment_page = next(p for p in pages[1:] if p.startswith("附件"))
        assert "序号" in attachment_page
    else:
        assert "附件" not in text

    # 版记 at the end: 抄送 and the 印发 line; page numbers "— N —" on every page
    assert "抄送：" in pages[-1] and re.search(
        r"忻州市科学技术局办公室\d{4}年\d{1,2}月\d{1,2}日印发", pages[-1]
    )
    for number, page in enumerate(pages, 1):
        assert f"—{number}—" in page
    # the 版记 sits at the foot of the last page's type area (GB/T 9704 7.4), below everything else
    assert_banji_at_the_foot(found, len(pages))
    # the verification code printed on it is the stored one
    assert f"验证码：{document.display_code}" in text


# The type area ends 35 mm above the A4 page's foot (GB/T 9704: 版心 225 mm, 天头 37 mm).
TYPE_AREA_BOTTOM = (297 - 35) * PT_PER_MM


def assert_banji_at_the_foot(found, last_page):
    """The 印发 line is the last line of the type area of the last page, within a line of its foot,
    and every other line of that page (but the page number) ends above the 版记."""
    page = [line for line in found if line.page == last_page]
    printed = next(line for line in page if line.text.endswith("印发"))
    assert TYPE_AREA_BOTTOM - 12 * PT_PER_MM < printed.y + printed.height <= TYPE_AREA_BOTTOM + 1, printed
    banji_top = min(line.y for line in page if "抄送" in line.text or "验证码" in line.text)
    text_above = [line for line in page if line.y < banji_top and "—" not in line.text]
    assert all(line.y + line.height <= banji_top for line in text_above), text_above


def test_the_body_line_holds_28_characters(issued):
    """A long paragraph fills lines of exactly 28 characters (GB/T 9704: 28 characters a line)."""
    document, _title, _day = issued["approval_notice"]
    full_lines = [
        line
        for line in lines(document.file.read())
        if abs(line.x - LEFT) < 1 and 16 * 1.3 < line.height < 16 * 1.6
    ]
    assert 28 in {len(line.text) for line in full_lines if not LATIN.search(line.text)}


def test_the_signature_is_never_alone_on_a_page(people):
    """Whatever the length of the decision, the last paragraph moves with the signature and date: a
    note one line longer at a time walks the signature across the page break."""
    kind = documents.KINDS["revocation_decision"]
    base = PilotBaseFactory(
        host=people.host_a, status=Status.REVOKED, revoked_on=date(2026, 7, 1), revocation_article="第十六条"
    )
    crossed = False
    for extra_lines in range(0, 9):
        base.revocation_note = "经查明，" + "该基地未按要求整改相关问题" * (2 * extra_lines)
        pages = page_texts(documents.render(kind, base)[1])
        signature_page = next(p for p in pages if "忻州市科学技术局2026年7月1日" in p)
        assert "特此决定。" in signature_page
        crossed |= signature_page is not pages[0]
        # the 版记 on the last page, with the signature, at its foot and clear of the text
        assert "抄送：" in signature_page and signature_page == pages[-1]
        assert_banji_at_the_foot(lines(documents.render(kind, base)[1]), len(pages))
    assert crossed  # the loop did push the signature onto the next page at least once


def test_the_public_notice_pdf_speaks_of_paper_not_of_this_page(issued):
    text = "".join(page_texts(issued["notice"][0].file.read()))
    assert "通过本页面" not in text
    assert "忻州市中试基地管理平台" in text


def test_the_application_form_prints_every_section_in_the_official_order(people):
    from portal.site.demo.application import fill_complete_application

    base = fill_complete_application(
        actor=people.staff_a, base=PilotBaseFactory(host=people.host_a), joint=True
    )
    text = "".join(page_texts(documents.render(documents.KINDS["application"], base)[1]))
    order = [
        "一、基本情况",
        "二、依托单位情况",
        "三、共建单位",
        "四、技术依托单位",
        "五、基地负责人与团队",
        "六、代表性论文与专利",
        "七、仪器设备与场地",
        "八、核心技术与建设计划",
        "九、经费预算",
        "十、基本条件承诺与证明材料",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    for held in (
        "忻州市协同制造有限公司",  # co-builder
        "忻州师范学院",  # backing unit
        "连续化制备工艺研究",  # paper
        "中试反应装置",  # equipment
        "360万元",  # its value, in the form's unit
        base.host.uscc,
        "条件1证明材料.pdf",  # evidence
    ):
        assert held in text, held
    assert "'head'" not in text and "{" not in text  # no program structure printed raw
    assert not ISO_DATE.search(text)


def test_an_empty_section_says_so(people):
    base = PilotBaseFactory(host=people.host_a)
    text = "".join(page_texts(documents.render(documents.KINDS["application"], base)[1]))
    assert "无共建单位（单独建设）。" in text
    assert "未填写代表性论文。" in text and "未填写主要仪器设备。" in text


def test_the_task_book_prints_its_locked_fields_as_the_application(people):
    base = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 2))
    base.core_technology = "低温连续化制备核心工艺"
    base.save()
    filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="task-book",
        data={
            "goals": "建成中试线",
            "construction_content": "改造车间",
            "staffing": "十人",
            "expected_outputs": "专利",
        },
        milestones=[{"year": 2026, "content": "设备安装", "self_raised_wan": "200000"}],
    )
    book = "".join(page_texts(documents.render(documents.KINDS["task_book"], base)[1]))
    application = "".join(page_texts(documents.render(documents.KINDS["application"], base)[1]))
    for locked in (base.name, base.host.name, base.rd_direction, "低温连续化制备核心工艺"):
        assert locked in book and locked in application, locked
    assert "2026年3月2日" in book
    assert "建成中试线" in book and "设备安装" in book


def test_money_in_one_format_with_the_capital_amount(issued):
    text = "".join(page_texts(issued["recognition_notice"][0].file.read()))
    assert "200,000.00元（大写：贰拾万元整）" in text
