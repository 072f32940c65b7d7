"""The 统一社会信用代码 (unified social credit code, GB 32100-2015): how it is normalised and checked.

Every organisation of the portal (host units, supervising units, the units named on an application
or by an expert) is identified by it, so the rule belongs to the platform, next to the organisations
that carry it (portal.accounts.fields, portal.accounts.validators). Pure: no ORM, no settings.
"""

from django.utils.translation import gettext

__all__ = ["USCC_ALPHABET", "USCC_LENGTH", "is_valid_uscc", "normalise_uscc", "uscc_problem"]

USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
_USCC_VALUES = {char: value for value, char in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 over characters 9–16 of the USCC


def _uscc_check_character(first_17: str) -> str:
    """GB 32100-2015 check character: (31 − Σ value·weight mod 31) mod 31, as a character."""
    total = sum(_USCC_VALUES[char] * weight for char, weight in zip(first_17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _org_code_check_character(body_8: str) -> str:
    """GB 11714 check character of the organisation code: 11 − Σ value·weight mod 11; 10 → X, 11 → 0.

    A digit counts its value, a letter A=10 … Z=35.
    """
    total = sum(int(char, 36) * weight for char, weight in zip(body_8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalise_uscc(code: str | None) -> str:
    """A 统一社会信用代码 as it is stored and compared (Art. 8-2 conflict avoidance matches units by it):
    upper case, with every whitespace character removed — people type it in groups of four, in lower
    case, with a full-width space from a Chinese input method. Stored normalised on every input path
    (portal.accounts.fields.USCCField), so one unit never appears under two spellings of its code."""
    return "".join((code or "").split()).upper()


def uscc_problem(code: str | None) -> str | None:
    """GB 32100-2015: what is wrong with a 统一社会信用代码, in Chinese, or None when it is valid.

    Surrounding whitespace is ignored and lower case is accepted. The code has 18 characters from
    "0123456789ABCDEFGHJKLMNPQRTUWXY"; the 18th is the check character over the first 17; the 9th–17th
    are the organisation code (GB 11714) whose last character is its own check character.
    """
    code = (code or "").strip().upper()
    if len(code) != USCC_LENGTH:
        return gettext("应为18位（当前%(length)d位）") % {"length": len(code)}
    for position, char in enumerate(code, start=1):
        if char not in _USCC_VALUES:
            if char.isspace():
                return gettext("第%(position)d位是空格，代码中不能含有空格") % {"position": position}
            return gettext("第%(position)d位“%(char)s”不是允许的字符") % {"position": position, "char": char}
    if code[17] != _uscc_check_character(code[:17]):
        return gettext("校验码错误，请逐位核对")
    if code[16] != _org_code_check_character(code[8:16]):
        return gettext("第9–17位（组织机构代码）校验码错误，请逐位核对")
    return None


def is_valid_uscc(code: str | None) -> bool:
    """GB 32100-2015: whether ``code`` is a valid 统一社会信用代码 (see uscc_problem)."""
    return uscc_problem(code) is None
