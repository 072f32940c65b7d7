"""Small text helpers that keep punctuation in the user's language."""

from collections.abc import Iterable

from django.utils.translation import gettext


def join_list(items: Iterable[object]) -> str:
    """Join a list with the language's enumeration comma (、 in Chinese, ", " in English)."""
    return gettext("、").join(str(item) for item in items)


def join_sentences(items: Iterable[object]) -> str:
    """Join clauses with the language's semicolon (； in Chinese, "; " in English)."""
    return gettext("；").join(str(item) for item in items)
