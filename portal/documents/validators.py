"""Uploads are checked by their content, never trusted by their name.

A file's type is sniffed with libmagic (python-magic); Office Open XML files, which libmagic may see
as plain zip, are recognised by their parts. The name's extension must agree with the content, so a
renamed .exe is refused as what it is.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.parameters import get_parameter
from portal.text import join_list


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    mime_types: tuple[str, ...]


KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", (".pdf",), ("application/pdf",)),
    "doc": Kind(
        "Word 97-2003", (".doc",), ("application/msword", "application/cdfv2", "application/x-ole-storage")
    ),
    "docx": Kind(
        "Word", (".docx",), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
    ),
    "xls": Kind(
        "Excel 97-2003",
        (".xls",),
        ("application/vnd.ms-excel", "application/cdfv2", "application/x-ole-storage"),
    ),
    "xlsx": Kind("Excel", (".xlsx",), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)),
    "jpg": Kind("JPEG", (".jpg", ".jpeg"), ("image/jpeg",)),
    "png": Kind("PNG", (".png",), ("image/png",)),
}
DOCUMENT_KINDS = frozenset(KINDS)
IMAGE_KINDS = frozenset({"jpg", "png"})

_OOXML_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def _ooxml_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    return next((kind for part, kind in _OOXML_PARTS.items() if part in names), None)


# PDF names that run something in a reader: script, an action on opening or on an event, launching a
# program, sending or fetching data, embedded media. Evidence scans and exported documents have none.
PDF_ACTIVE_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/AA",
    b"/Launch",
    b"/SubmitForm",
    b"/ImportData",
    b"/RichMedia",
    b"/GoToE",
)
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_OPEN_ACTION_DICT = re.compile(rb"/OpenAction\s*<<[^>]*/S\s*/")
_MAX_INFLATED = 64 * 1024 * 1024  # stop inflating a hostile stream ("zip bomb") at 64 MB in all


def _pdf_names(data: bytes) -> set[bytes]:
    """The names in a PDF body, with #xx escapes undone (/J#61vaScript is /JavaScript)."""
    names = set()
    for raw in _PDF_NAME.findall(data):
        names.add(re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw))
    return names


def pdf_active_content(file) -> list[str]:
    """The active-content names found in a PDF, in its own bytes and in its compressed streams
    (object streams hide dictionaries there); empty for a plain document."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    bodies, inflated = [data], 0
    for stream in _PDF_STREAM.findall(data):
        try:
            decompressor = zlib.decompressobj()
            body = decompressor.decompress(stream, _MAX_INFLATED - inflated)
        except zlib.error:
            continue
        inflated += len(body)
        bodies.append(body)
        if inflated >= _MAX_INFLATED:
            break
    found = set()
    for body in bodies:
        names = _pdf_names(body)
        found |= {n.decode("latin-1") for n in PDF_ACTIVE_NAMES if n in names}
        if _OPEN_ACTION_DICT.search(body):
            found.add("/OpenAction")
    return sorted(found)


def sniff_kind(file) -> tuple[str | None, str]:
    """(kind key or None, the MIME type libmagic saw) of an uploaded file, from its first bytes."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    mime = magic.from_buffer(head, mime=True).lower()
    if mime in ("application/zip", "application/octet-stream") or mime.startswith("application/vnd.openxml"):
        kind = _ooxml_kind(file)
        if kind:
            return kind, mime
    for key, kind in KINDS.items():
        if key in ("docx", "xlsx"):
            continue  # only by their parts, above
        if mime in kind.mime_types:
            if mime in ("application/cdfv2", "application/x-ole-storage"):
                return None, mime  # an OLE container: decided by the extension below
            return key, mime
    return None, mime


def validate_upload(file, allowed=DOCUMENT_KINDS) -> str:
    """Refuse a file that is too large, not of an allowed kind by content, or misnamed.
    Returns the kind key. Every message names the file and says why."""
    name = getattr(file, "name", "") or _("（未命名文件）")
    max_mb = get_parameter("upload_max_mb")
    if file.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size).1f MB，超过 %(max)d MB 的上限。")
            % {"name": name, "size": file.size / 1024 / 1024, "max": max_mb},
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind, mime = sniff_kind(file)
    if kind is None and mime in ("application/cdfv2", "application/x-ole-storage", "application/msword"):
        # Old Office files share one container format; the extension tells Word from Excel.
        kind = {".doc": "doc", ".xls": "xls"}.get(extension)
    allowed_labels = join_list(sorted({KINDS[k].extensions[0].lstrip(".") for k in allowed}))
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("文件“%(name)s”的内容不是允许的类型（允许：%(allowed)s）。")
            % {"name": name, "allowed": allowed_labels},
            code="bad_type",
        )
    if extension not in KINDS[kind].extensions:
        raise ValidationError(
            _("文件“%(name)s”的扩展名与其内容（%(kind)s）不符，请确认文件后重新上传。")
            % {"name": name, "kind": KINDS[kind].label},
            code="bad_extension",
        )
    if kind == "pdf" and (active := pdf_active_content(file)):
        raise ValidationError(
            _(
                "文件“%(name)s”含有脚本或自动执行的动作（%(what)s），出于安全考虑不予接收。"
                "请打印或另存为普通 PDF 后重新上传。"
            )
            % {"name": name, "what": join_list(active)},
            code="active_content",
        )
    return kind
