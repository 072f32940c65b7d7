"""Uploads are checked by content, not by name; each refusal names the file and says why."""

import pytest
from django.core.exceptions import ValidationError

from portal.documents.validators import IMAGE_KINDS, validate_upload
from portal.parameters import set_parameter
from tests.uploads import EXE, JPEG, VALID, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(VALID))
def test_every_accepted_kind_passes(kind):
    name, content = VALID[kind]
    content = content if content is not None else xlsx_bytes()
    assert validate_upload(upload(name, content)) == kind


def test_a_renamed_exe_is_refused_by_its_content():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("营业执照.pdf", EXE, "application/pdf"))
    assert error.value.messages == [
        "文件“营业执照.pdf”的内容不是允许的类型（允许：doc、docx、jpg、pdf、png、xls、xlsx）。"
    ]


def test_a_file_whose_name_lies_about_its_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("照片.pdf", JPEG))
    assert "扩展名与其内容（JPEG）不符" in error.value.messages[0]


def test_an_oversized_file_is_refused_with_the_limit_from_the_parameter():
    set_parameter("upload_max_mb", 1)
    big = upload("大文件.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as error:
        validate_upload(big)
    assert error.value.messages == ["文件“大文件.pdf”大小为 1.0 MB，超过 1 MB 的上限。"]


def test_the_default_limit_is_twenty_megabytes():
    big = upload("大文件.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="超过 20 MB"):
        validate_upload(big)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空文件"):
        validate_upload(upload("空.pdf", b""))


def test_photos_accept_images_only():
    name, content = VALID["pdf"]
    with pytest.raises(ValidationError, match="允许：jpg、png"):
        validate_upload(upload(name, content), IMAGE_KINDS)
    assert validate_upload(upload("现场.jpg", JPEG), IMAGE_KINDS) == "jpg"
