"""Small text helpers that keep punctuation in the user's language."""

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext


def join_list(items: Iterable[object]) -> str:
    """Join a list with the language's enumeration comma (、 in Chinese, ", " in English)."""
    return gettext("、").join(str(item) for item in items)


def join_sentences(items: Iterable[object]) -> str:
    """Join clauses with the language's semicolon (； in Chinese, "; " in English)."""
    return gettext("；").join(str(item) for item in items)


# Characters that show as nothing: zero-width spaces and joiners, direction marks and embeddings, the
# word joiner, the BOM and the soft hyphen; and blanks other than the plain space (full-width
# "ideographic" space, no-break space).
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
BLANKS = re.compile("[\u3000\u00a0\u2000-\u200a\u202f\u205f]")


def visible_text(value: str) -> str:
    """What a person actually wrote: invisible characters removed, every blank a plain space,
    trimmed ("\u200b\u3000" is empty; "张\u200b三" is "张三")."""
    return BLANKS.sub(" ", INVISIBLE.sub("", value or "")).strip()


# --- money: one format for amounts in documents and pages --------------------------------------------
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def grouped_yuan(amount) -> str:
    """The figure of an amount in yuan, grouped by thousands with two decimals: 200,000.00. Written
    here, not by Django's number formatting: the zh-hans locale has no thousands separator."""
    return f"{Decimal(amount):,.2f}"


def grouped_wan(amount) -> str:
    """The figure of an amount held in 万元, grouped, without trailing zeros: 360, 1,250.5."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def yuan(amount) -> str:
    """An amount in yuan as documents write it: 200,000.00 元."""
    return f"{grouped_yuan(amount)} 元"


def wan(amount) -> str:
    """An amount held in 万元 (the application form's unit) as documents write it: 360万元, 12.5万元."""
    return f"{grouped_wan(amount)}万元"


def _four_digits(number: int) -> str:
    """0 < number < 10000 in capital digits, with 零 for inner gaps (1005 → 壹仟零伍)."""
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[position]
    return out


def capital_yuan(amount) -> str:
    """The Chinese capital amount of a money form (大写金额): 200000 → 贰拾万元整,
    1005.3 → 壹仟零伍元叁角整, 0.05 → 伍分."""
    cents = int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if cents < 0:
        return "负" + capital_yuan(Decimal(-cents) / 100)
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = ""
    if whole:
        groups = []
        while whole:
            groups.append(whole % 10000)
            whole //= 10000
        gap = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                gap = True
                continue
            if text and (gap or group < 1000):
                text += "零"
            text += _four_digits(group) + _BIG_UNITS[index]
            gap = False
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        return text + _DIGITS[fen] + "分"
    return text + "整"


def local_date(day) -> str:
    """A date inside a message shown on a page, in the page's language: 2026年3月5日 on Chinese pages,
    2026-03-05 on English ones (portal/formats)."""
    return date_format(day, "SHORT_DATE_FORMAT")
