"""Validators for identifiers used across the portal."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.uscc import uscc_problem


def validate_uscc(value):
    """GB 32100-2015: 统一社会信用代码, with its check character. The message says what is wrong."""
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(
            _("统一社会信用代码无效：%(problem)s") % {"problem": problem}, code="invalid_uscc"
        )


class MinimumLengthValidator:
    """Django's minimum length rule with a Chinese message (Django 5.2's zh_Hans catalogue lacks it)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return ngettext(
            "密码太短，至少需要 %(min_length)d 个字符。",
            "密码太短，至少需要 %(min_length)d 个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
