"""The reviews forms' shared fields: text that must be filled in, rows chosen by id, bases shown with
their host."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class IdsField(forms.ModelMultipleChoiceField):
    """Rows chosen by id; an id beyond the 64-bit range is refused as an invalid choice instead of
    being queried (Django queries `pk__in` with it and SQLite cannot bind it: a 500, found by
    tests/resilience/test_fuzz_forms.py)."""

    def _check_values(self, value):
        for pk in value:
            try:
                beyond = not -(2**63) <= int(str(pk)) < 2**63
            except ValueError:
                continue  # not a number at all: Django refuses it itself
            if beyond:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class BaseChoiceField(IdsField):
    def label_from_instance(self, obj):
        return _("%(name)s（%(host)s）") % {"name": obj.name, "host": obj.host.name}


def required_text(label, max_length: int, missing, help_text="") -> forms.CharField:
    """A line of text that must be filled in, its absence told in the form's own words (`missing`)."""
    return forms.CharField(
        label=label, max_length=max_length, help_text=help_text, error_messages={"required": missing}
    )
