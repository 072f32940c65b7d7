"""Uploaded files are served safely: the stored Content-Type is the one sniffed from the content,
never the browser's label; a PDF with script or an automatic action is refused at upload (also when
the name is hex-escaped or the dictionary sits in a compressed object stream); every served file is a
download with `Content-Security-Policy: sandbox` and `X-Content-Type-Options: nosniff`, from Django
and through the proxy's internal location (portal/documents/validators.py, views.py)."""

import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.documents.services import attachment_create
from portal.documents.validators import pdf_active_content
from tests.factories import PilotBaseFactory
from tests.uploads import MINIMAL_PDF, PNG

pytestmark = pytest.mark.django_db


def _pdf(extra: bytes) -> bytes:
    """The minimal PDF with one more object appended before the trailer."""
    head, tail = MINIMAL_PDF.rsplit(b"trailer", 1)
    return head + extra + b"\ntrailer" + tail


ACTIVE = {
    "script": _pdf(b"9 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"),
    "escaped name": _pdf(b"9 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj"),
    "open action": _pdf(b"9 0 obj << /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj"),
    "additional action": _pdf(b"9 0 obj << /Type /Annot /AA << /E 10 0 R >> >> endobj"),
    "in an object stream": _pdf(
        b"9 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"<< /S /JavaScript /JS (this.exportDataObject()) >>")
        + b"\nendstream endobj"
    ),
}


@pytest.mark.parametrize("variant", ACTIVE, ids=list(ACTIVE))
def test_a_pdf_with_script_or_automatic_action_is_refused_at_upload(people, variant):
    base = PilotBaseFactory(host=people.host_a)
    upload = SimpleUploadedFile("证明.pdf", ACTIVE[variant], content_type="application/pdf")
    assert pdf_active_content(upload)
    with pytest.raises(ValidationError) as refused:
        attachment_create(owner=base, purpose="evidence", file=upload)
    assert "含有脚本或自动执行的动作" in refused.value.messages[0] and "证明.pdf" in refused.value.messages[0]
    from portal.documents.models import Attachment

    assert not Attachment.objects.exists()


def test_a_plain_pdf_with_an_open_action_that_only_sets_the_view_is_accepted(people):
    plain = _pdf(b"9 0 obj << /Type /Catalog /OpenAction [3 0 R /FitH null] >> endobj")
    assert pdf_active_content(SimpleUploadedFile("a.pdf", plain)) == []
    assert pdf_active_content(SimpleUploadedFile("a.pdf", MINIMAL_PDF)) == []


def test_the_stored_type_is_sniffed_and_every_served_file_is_a_sandboxed_download(client, people, settings):
    base = PilotBaseFactory(host=people.host_a)
    # a browser (or an attacker) labels a PNG as an HTML page
    upload = SimpleUploadedFile("照片.png", PNG, content_type="text/html")
    attachment = attachment_create(owner=base, purpose="evidence", file=upload)
    assert attachment.mime_type == "image/png"
    client.force_login(people.staff_a)
    response = client.get(reverse("bases:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]  # not the pages' policy

    # behind the proxy: the same headers on the X-Accel-Redirect answer (nginx adds them as well)
    settings.PROTECTED_MEDIA_URL = "/protected-media/"
    response = client.get(reverse("bases:attachment", args=[attachment.pk]))
    assert response["X-Accel-Redirect"].startswith("/protected-media/")
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
