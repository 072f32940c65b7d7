"""Where uploads live and how a download leaves: the local media volume behind the proxy
(X-Accel-Redirect), or S3-compatible object storage (streamed through the portal)."""

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.http import FileResponse, Http404

from portal.documents.models import Attachment
from portal.documents.views import serve_file

S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "portal-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.gov.cn",
    "AWS_S3_REGION_NAME": "cn-north-1",
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
}


def _settings_in_subprocess(extra_env: dict, expression: str):
    """Evaluate `expression` in a fresh process that imports portal.settings as a deployment
    would start it: this environment without AWS_* variables, plus `extra_env` and a key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_"))}
    env.update({"SECRET_KEY": "x" * 50, "DEBUG": "false", **extra_env})
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({expression}))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_bucket_uploads_stay_on_the_filesystem():
    storages = _settings_in_subprocess({}, "s.STORAGES")
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_switches_uploads_to_private_s3_storage_with_short_signed_urls():
    # The backend must accept these options: a signed URL is computed locally (no server needed).
    storages, signed = _settings_in_subprocess(
        S3_ENV,
        "[s.STORAGES, __import__('django.core.files.storage', fromlist=['storages'])"
        ".storages['default'].url('attachments/2026/01/a.pdf')]",
    )
    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "portal-media"
    assert options["endpoint_url"] == "https://s3.example.gov.cn"
    assert options["region_name"] == "cn-north-1"
    assert (options["access_key"], options["secret_key"]) == ("test-access-key", "test-secret-key")
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["custom_domain"] is None
    assert options["addressing_style"] == "path"  # an on-premises endpoint

    url = urlsplit(signed)
    assert (url.scheme, url.netloc) == ("https", "s3.example.gov.cn")
    assert url.path == "/portal-media/attachments/2026/01/a.pdf"
    query = parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query


def test_protected_media_url_must_be_a_path_prefix():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "SECRET_KEY": "x" * 50,
            "PROTECTED_MEDIA_URL": "protected-media",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "PROTECTED_MEDIA_URL" in result.stderr


def _stored(storage, name, content=b"%PDF-1.4 content"):
    """A stored file as a model hands it to serve_file (a FieldFile), on the given storage."""
    file = Attachment(file=storage.save(name, ContentFile(content))).file
    file.storage = storage
    return file


@pytest.fixture
def filesystem(tmp_path):
    return FileSystemStorage(location=tmp_path)


def test_behind_the_proxy_a_local_file_leaves_by_x_accel_redirect(settings, filesystem):
    settings.PROTECTED_MEDIA_URL = "/protected-media/"
    file = _stored(filesystem, "jobs/2026/01/ab-基地名录.xlsx")
    response = serve_file(file, "基地名录.xlsx")
    assert not isinstance(response, FileResponse) and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + quote(file.name)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('基地名录.xlsx')}"


def test_without_the_proxy_a_local_file_is_streamed(settings, filesystem):
    settings.PROTECTED_MEDIA_URL = ""
    file = _stored(filesystem, "a.pdf", b"%PDF-1.4 streamed")
    response = serve_file(file, "证明.pdf", "application/pdf")
    assert isinstance(response, FileResponse) and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"%PDF-1.4 streamed"


def test_a_file_on_object_storage_is_streamed_even_behind_the_proxy(settings):
    """nginx cannot reach an object store through its internal location: the portal streams."""
    settings.PROTECTED_MEDIA_URL = "/protected-media/"
    storage = InMemoryStorage()
    file = _stored(storage, "attachments/a.pdf", b"%PDF-1.4 from the bucket")
    response = serve_file(file, "证明.pdf", "application/pdf")
    assert isinstance(response, FileResponse) and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"%PDF-1.4 from the bucket"

    storage.delete(file.name)
    with pytest.raises(Http404):
        serve_file(file, "证明.pdf", "application/pdf")
