"""Small real files of every kind the portal accepts, and some it must refuse, made in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

# The smallest well-formed PDF: the upload checks read its signature and scan its objects, so it passes
# them as a real document would (the demo data uploads the same bytes).
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "000154a24f5d0000000049454e44ae426082"
)
JPEG = (
    bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")
)
OLE = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16 + bytes.fromhex("3e000300feff0900") + b"\x00" * 2000
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 400
)


def _ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main_part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "证明"
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name="证明材料.pdf"):
    return upload(name, MINIMAL_PDF, "application/pdf")


VALID = {
    "pdf": ("a.pdf", MINIMAL_PDF),
    "png": ("a.png", PNG),
    "jpg": ("a.jpg", JPEG),
    "docx": ("a.docx", _ooxml("word/document.xml")),
    "xlsx": ("a.xlsx", None),  # filled lazily with xlsx_bytes()
    "doc": ("a.doc", OLE),
    "xls": ("a.xls", OLE),
}
