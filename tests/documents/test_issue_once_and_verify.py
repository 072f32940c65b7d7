"""A document is issued once per subject and kind (also under two requests at once), a correction
voids the earlier one visibly and keeps the number sequence gapless, and anyone can verify an issued
PDF: by its code, or by uploading it — a tampered copy fails (SHA-256 and signature)."""

import io
import threading
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from portal.documents import issuing as documents
from portal.documents.models import IssuedDocument
from portal.documents.signing import check_signature
from tests.documents.pdf_reading import page_texts
from tests.factories import PilotBaseFactory, make_people

pytestmark = pytest.mark.django_db
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture
def approved(people):
    return PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 5))


def test_pressing_issue_again_shows_the_issued_document(client, people, approved):
    url = reverse("bases:document_issue", args=["approval_notice", approved.pk])
    client.force_login(people.bureau)
    first = client.post(url)
    document = IssuedDocument.objects.get()
    assert first.url == reverse("bases:document_detail", args=[document.pk])
    second = client.post(url, follow=True)
    assert IssuedDocument.objects.count() == 1
    assert second.redirect_chain[-1][0] == reverse("bases:document_detail", args=[document.pk])
    assert "不再重复出具" in second.content.decode()
    again = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    assert again.pk == document.pk and not again.newly_issued
    # the number sequence did not move: the next document takes the next number
    other = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 5))
    following = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=other)
    assert following.sequence == document.sequence + 1


def test_the_database_refuses_a_second_valid_document_of_the_same_event(people, approved):
    from django.db import IntegrityError, transaction

    from portal.documents.services import document_store

    documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        document_store(
            kind="approval_notice",
            title="x",
            subject=approved,
            base=approved,
            pdf=b"%PDF-1.7",
            issued_by=people.bureau,
        )


@pytest.mark.skipif(not ON_POSTGRES, reason="two transactions at once need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_issue_one_document():
    people = make_people()
    base = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 5))
    barrier, results, errors = threading.Barrier(2), [], []

    def press():
        try:
            barrier.wait()
            results.append(
                documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=base)
            )
        except Exception as exc:  # reported below: a failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({document.pk for document in results}) == 1
    assert sorted(document.newly_issued for document in results) == [False, True]
    assert IssuedDocument.objects.count() == 1
    from portal.documents.models import DocumentSequence

    assert DocumentSequence.objects.get(year=results[0].year).last == results[0].sequence


def test_a_correction_voids_the_old_document_visibly_and_keeps_the_sequence_gapless(client, people, approved):
    old = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    client.force_login(people.bureau)
    refused = client.post(reverse("bases:document_reissue", args=[old.pk]), {"reason": "  "})
    assert refused.status_code == 400 and IssuedDocument.objects.count() == 1
    response = client.post(reverse("bases:document_reissue", args=[old.pk]), {"reason": "依托单位名称有误"})
    old.refresh_from_db()
    new = IssuedDocument.objects.get(replaces=old)
    assert response.url == reverse("bases:document_detail", args=[new.pk])
    assert old.is_void and old.void_reason == "依托单位名称有误" and old.voided_by == people.bureau
    assert new.sequence == old.sequence + 1 and new.number != old.number and not new.is_void
    numbers = sorted(IssuedDocument.objects.filter(year=new.year).values_list("sequence", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    # pressing issue now shows the correction, not the voided one
    assert documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved) == new
    # the old one downloads stamped 作废 with its reason; its page says so and links the correction
    stamped = client.get(reverse("bases:document_download", args=[old.pk])).content
    stamped_text = "".join(page_texts(stamped))
    assert "作废" in stamped_text and "依托单位名称有误" in stamped_text
    page = client.get(reverse("bases:document_detail", args=[old.pk])).content.decode()
    assert "已作废" in page and new.number in page
    # a voided document cannot be corrected twice
    with pytest.raises(documents.TransitionRefused):
        documents.document_reissue(actor=people.bureau, document=old, reason="再次")


def test_only_the_bureau_corrects_and_a_refusal_changes_no_row(client, people, approved):
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    url = reverse("bases:document_reissue", args=[document.pk])
    for person in (people.staff_a, people.approver_a, people.supervisor_a, people.staff_b, people.expert):
        client.force_login(person)
        assert client.post(url, {"reason": "改"}).status_code == 404
    assert client.logout() is None and client.post(url, {"reason": "改"}).status_code == 302
    document.refresh_from_db()
    assert not document.is_void and IssuedDocument.objects.count() == 1


def test_the_code_leads_to_the_public_verification_page(client, people, approved):
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    response = client.get(reverse("verify:code", args=[document.code]))
    page = response.content.decode()
    for shown in (document.number, document.title, document.sha256, "2026", "有效"):
        assert shown in page
    typed = client.get(reverse("verify:home"), {"code": document.display_code.lower()})
    assert typed.url == reverse("verify:code", args=[document.code])
    assert client.get(reverse("verify:code", args=["3479ACDEFG"])).status_code == 404
    # the QR code and the short code printed on the PDF lead to that page
    assert f"验证码：{document.display_code}" in "".join(page_texts(document.file.read()))


def _upload(client, data: bytes):
    return client.post(
        reverse("verify:home"), {"file": SimpleUploadedFile("copy.pdf", data, "application/pdf")}
    )


def test_an_issued_pdf_verifies_and_a_tampered_copy_fails(client, people, approved):
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    genuine = document.file.read()
    assert check_signature(genuine).ok
    answer = _upload(client, genuine).content.decode()
    assert 'data-result="valid"' in answer and document.number in answer

    # one byte changed inside the signed content
    at = genuine.index(b"/Producer")
    tampered = genuine[:at] + b"/Producex" + genuine[at + 9 :]
    assert not check_signature(tampered).ok
    assert 'data-result="invalid"' in _upload(client, tampered).content.decode()

    # a page appended after signing (an incremental update, as an editor saves it)
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(genuine), incremental=True)
    writer.add_blank_page()
    edited = io.BytesIO()
    writer.write(edited)
    assert not check_signature(edited.getvalue()).ok
    assert 'data-result="invalid"' in _upload(client, edited.getvalue()).content.decode()

    # not a PDF at all, and nothing uploaded: a clear answer, never a 500
    assert 'data-result="invalid"' in _upload(client, b"hello").content.decode()
    assert client.post(reverse("verify:home")).status_code == 400


def test_a_voided_copy_verifies_as_voided(client, people, approved):
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    genuine = document.file.read()
    documents.document_reissue(actor=people.bureau, document=document, reason="文号有误")
    answer = _upload(client, genuine).content.decode()
    assert 'data-result="voided"' in answer and "文号有误" in answer
    assert "已作废" in client.get(reverse("verify:code", args=[document.code])).content.decode()


def test_a_document_signed_with_the_development_key_says_so(client, people, approved):
    document = documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=approved)
    assert document.signed_with_dev_key
    client.force_login(people.staff_a)
    assert "临时密钥" in client.get(reverse("bases:document_detail", args=[document.pk])).content.decode()
    assert "临时密钥" in "".join(page_texts(document.file.read()))
