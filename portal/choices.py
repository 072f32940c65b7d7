"""get_FOO_display without the cost of Django's generic one.

Django's Model._get_FIELD_display builds `dict(make_hashable(field.flatchoices))` on every call, which
hashes every choice label; our labels are lazy translations, so each hash is a gettext. A list page of
20 bases with a few choice fields each made ~1,000 gettext calls that way (a third of its time at
100,000 bases, docs/performance.md). Here the choices of a field are looked up in a dict built once
per field; the label is still translated at the moment it is shown.
"""

from functools import cache

from django.utils.encoding import force_str


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


class ChoiceDisplayMixin:
    """Mixed into the models listed most (bases, organisations, users, filings, grades)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
