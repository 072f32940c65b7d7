"""Background work: a batch of documents issued in the worker with its progress, and a
large roster export built in the background and downloaded when ready."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.documents import issuing as documents
from portal.documents.models import BackgroundJob, IssuedDocument
from portal.parameters import set_parameter
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_a_batch_issues_one_numbered_document_per_eligible_base_once(
    client, people, django_capture_on_commit_callbacks
):
    for day in (1, 2, 3):
        PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, day))
    already = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 9))
    documents.document_issue(actor=people.bureau, kind_key="approval_notice", subject=already)
    client.force_login(people.bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bases:document_batch", args=["approval_notice"]))
    job = BackgroundJob.objects.get()
    assert response.url == reverse("bases:job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done" and (job.done, job.total) == (3, 3) and job.percent == 100
    numbers = sorted(IssuedDocument.objects.values_list("sequence", flat=True))
    assert numbers == [1, 2, 3, 4]
    page = client.get(response.url).content.decode()
    assert "3 / 3" in page
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("bases:document_batch", args=["approval_notice"]), follow=True)
    assert "没有需要出具的文件" in again.content.decode()


def test_a_large_export_runs_in_the_background_and_downloads_when_ready(
    client, people, django_capture_on_commit_callbacks
):
    set_parameter("export_background_rows", 2)
    for _ in range(3):
        PilotBaseFactory(host=people.host_a, recognized=True)
    client.force_login(people.bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("bases:export"), {"status": "recognized"})
    job = BackgroundJob.objects.get(kind="roster_export")
    assert response.status_code == 302 and response.url == reverse("bases:job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done" and job.file
    download = client.get(reverse("bases:job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert len(list(sheet.iter_rows())) == 4
    client.force_login(people.supervisor_a)
    assert client.get(reverse("bases:job", args=[job.pk])).status_code == 404
