"""Validators for identifiers used across the portal."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bases.policy import uscc_problem


def validate_uscc(value):
    """GB 32100-2015: 统一社会信用代码, with its check character. The message says what is wrong."""
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(
            _("统一社会信用代码无效：%(problem)s") % {"problem": problem}, code="invalid_uscc"
        )
