"""Reason codes of recorded steps in words. The codes are the domain's (a revocation's reason, Art. 4-2,
8-4, 14, 16, 17); the app that gives them registers their words here from its AppConfig.ready(), so a
TransitionRecord shows them without the platform naming that app."""

from collections.abc import Mapping

_TEXTS: dict[str, object] = {}


def register_reason_texts(texts: Mapping[str, object]) -> None:
    """Register reason codes with their words: lazy strings, shown in the reader's language."""
    _TEXTS.update(texts)


def reason_text(code: str) -> str | None:
    """The words of a registered reason code, or None for a code nobody registered."""
    text = _TEXTS.get(code)
    return None if text is None else str(text)
