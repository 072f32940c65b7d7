"""The 统一社会信用代码 field: stored normalised whatever path the value comes in by.

Conflict avoidance (Art. 8-2) compares units by their USCC, so one unit must never be stored under two
spellings of its code. The normalisation (portal.accounts.uscc.normalise_uscc: upper case, every space
removed) is applied
- in forms, the admin included, before the code is validated (USCCFormField.to_python), so a code
  typed in groups of four or in lower case is accepted and stored compact;
- in Model.full_clean (USCCField.to_python), for imports and services that clean their rows;
- when a row is saved (pre_save) and in lookups (get_prep_value), for writes and queries that skip
  both, so `filter(uscc=typed)` finds the unit whichever way the code was typed.
A blank code of a nullable field is stored as NULL, so units without a code never collide on the
unique index.
"""

from django import forms
from django.db import models

from portal.accounts.uscc import normalise_uscc


class USCCFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalise_uscc(value) or self.empty_value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The code may be typed with spaces (18 characters + separators); its length is checked after
        # normalisation, with a message that counts the characters that matter.
        if "maxlength" in attrs:
            attrs["maxlength"] = "30"
        return attrs


class USCCField(models.CharField):
    def _normalise(self, value, blank_as_null: bool = True):
        if value is None:
            return None
        value = normalise_uscc(str(value))
        if not value and self.null and blank_as_null:
            return None
        return value

    def to_python(self, value):
        return self._normalise(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = self._normalise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        # Lookups keep a blank as blank: `uscc=""` in a query or a constraint means what it says.
        return self._normalise(super().get_prep_value(value), blank_as_null=False)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": USCCFormField, **kwargs})
