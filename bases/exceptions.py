"""Domain errors of the bases app (all carry a message for the user)."""

from portal.exceptions import PermissionRefused, StaleState, TransitionRefused

__all__ = ["ApplicationInvalid", "PermissionRefused", "StaleState", "TransitionRefused"]


class ApplicationInvalid(TransitionRefused):
    """Application content that breaks a rule (e.g. the Art. 18 name rule); field -> message."""

    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None):
        super().__init__(message, details=list((field_errors or {}).values()))
        self.field_errors = dict(field_errors or {})
