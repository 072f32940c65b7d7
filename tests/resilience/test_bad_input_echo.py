"""Bad input on every form: each URL that accepts a POST (TARGETS of the form fuzzer) gets its own
form back with a Chinese message saying what is wrong, and what was typed is still there.

Every field the person types into is filled with a recognisable value; one of them also carries a
NUL character, which no field accepts. The page that comes back must name the problem in Chinese and
echo the recognisable value — nothing typed is lost."""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.resilience.test_fuzz_forms import TARGETS, forms_of, open_every_form
from tests.test_authorization_matrix import MATRIX, login_as

pytestmark = pytest.mark.django_db

MARKER = "核对回显值"
CJK = re.compile(r"[\u4e00-\u9fff]")
# An error the page shows: a field's message, the form's alert, or Django's error list.
ERROR = re.compile(
    r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</(?:div|ul|p)>', re.S
)
# Forms whose every typed field is free text that cannot be judged wrong but by the NUL, or that have
# no field typed by a person (buttons, checkboxes, selectors): nothing to echo.
NOTHING_TYPED = {name for name, target in TARGETS.items() if target.acts} | {
    "set_language",  # a language switch: it redirects whatever it is sent
    "bases:name_check",  # the create form's live name check (htmx), not a form of its own
}
# Sent back without the typed values on purpose.
NO_ECHO = {
    "accounts:password_change",  # passwords are never sent back to the browser
    "verify:home",  # the posted form is the file upload only; the code box is a GET form
}
# Forms inside a list or detail page that answer bad input with a message on the page they redirect
# to: the message is Chinese, but what was typed (a note, a reason) is lost. Each should re-render its
# form instead; strict, so fixing one makes its case fail here until it is taken off the list.
LOSES_TYPED: set[str] = set()
CASES = {case.name: case for case in MATRIX}


def _params():
    for name in sorted(set(TARGETS) - NOTHING_TYPED):
        marks = (
            [pytest.mark.xfail(strict=True, reason="redirects; the typed text is lost")]
            if name in LOSES_TYPED
            else []
        )
        yield pytest.param(name, marks=marks, id=name)


class _RollBack(Exception):
    pass


@pytest.mark.parametrize("name", list(_params()))
def test_bad_input_is_named_in_chinese_and_what_was_typed_is_kept(world, name):
    open_every_form(world)
    target, case = TARGETS[name], CASES[name]
    args = target.args or case.args
    url = reverse(name, args=args(world) if args else None)
    client = Client()
    login_as(client, world, target.role)
    form = forms_of(client, url, target, world)[0]
    typed = [field for field in form.checked if field not in form.hidden and field not in form.values]
    if not typed:
        pytest.skip("no field typed by a person")
    data = {field: values[0] for field, values in form.values.items()}
    data.update(dict.fromkeys(typed, MARKER))
    data[typed[0]] = f"{MARKER}\x00"
    try:
        with transaction.atomic():
            response = client.post(url, data)
            raise _RollBack
    except _RollBack:
        pass
    assert response.status_code in (200, 400), (name, response.status_code, typed)
    page = response.content.decode()
    errors = [re.sub(r"<[^>]+>", "", e) for e in ERROR.findall(page)]
    assert any(CJK.search(e) for e in errors), (name, errors)
    if name not in NO_ECHO:
        assert MARKER in page, name
