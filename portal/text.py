"""Small text helpers that keep punctuation in the user's language."""

import re
from collections.abc import Iterable

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
