"""Reading a rendered PDF back as a reader sees it: the text of each page (pypdf) and the lines with
their position and size (poppler's pdftotext -bbox-layout), so tests check the PDF, not the HTML."""

import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass

from pypdf import PdfReader

PT_PER_MM = 72 / 25.4


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text without whitespace (CJK text has none; pypdf's spacing varies)."""
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@dataclass(frozen=True)
class Line:
    page: int  # from 1
    text: str
    x: float  # left edge, pt
    y: float  # top, pt
    height: float  # pt: the font's box, proportional to its size
    right: float  # right edge, pt


def lines(pdf: bytes) -> list[Line]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(
            ["pdftotext", "-bbox-layout", handle.name, "-"], capture_output=True, check=True, text=True
        ).stdout
    found = []
    for number, page in enumerate(re.findall(r"<page.*?</page>", out, re.S), 1):
        for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            text = "".join(html.unescape(w) for w in re.findall(r"<word[^>]*>(.*?)</word>", body, re.S))
            found.append(
                Line(
                    number,
                    text,
                    float(box["xMin"]),
                    float(box["yMin"]),
                    float(box["yMax"]) - float(box["yMin"]),
                    float(box["xMax"]),
                )
            )
    return found
