"""The Measures (忻科规〔2024〕2号) as the public portal shows them: the text kept in
portal/content/measures.txt (a copy of the bureau's published document), split into the notice, the
chapters and the articles, each article with an anchor (#art-7) that the portal's citations link to."""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "content" / "measures.txt"
NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
ARTICLE = re.compile(r"^第([一二三四五六七八九十]+)条\s*(.*)$")
CHAPTER = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.*)$")


def chinese_number(text: str) -> int:
    """一 … 九十九 as an integer (enough for chapter and article numbers)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS[text[1]]
    if "十" in text:
        tens, _, units = text.partition("十")
        return NUMERALS[tens] * 10 + (NUMERALS[units] if units else 0)
    return NUMERALS[text]


@dataclass
class Article:
    number: int
    label: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Chapter:
    label: str
    title: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class Measures:
    preamble: list[str]
    title: str
    chapters: list[Chapter]


@cache
def measures() -> Measures:
    lines = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    start = lines.index("市中试基地建设与运行管理办法")
    preamble = [line for line in lines[:start] if line]
    chapters: list[Chapter] = []
    article = None
    for line in lines[start + 1 :]:
        if not line:
            continue
        if line.endswith("印发"):  # the printing line closes the document
            break
        if match := CHAPTER.match(line):
            chapters.append(Chapter(f"第{match.group(1)}章", match.group(2).strip()))
            article = None
        elif match := ARTICLE.match(line):
            article = Article(
                chinese_number(match.group(1)), f"第{match.group(1)}条", [match.group(2).strip()]
            )
            chapters[-1].articles.append(article)
        elif article is not None:
            article.paragraphs.append(line)
    return Measures(preamble=preamble, title=lines[start], chapters=chapters)
