"""What keeps the portal honest when something it depends on fails (docs/operations.md).

- DatabaseUnavailableMiddleware: while PostgreSQL restarts or fails over, a request that needs it
  gets a 503 page "服务暂时不可用" (no traceback, a Retry-After) instead of a 500; the connection is
  re-opened by the next request (CONN_HEALTH_CHECKS), so the portal recovers without a restart.
- submitted_once: a create form posted twice (a double click, a resent request) has one effect. The
  form carries a one-time token (`{% form_token %}`, portal/templatetags/form_tokens.py); the first
  post claims it in the cache (an atomic add), the second is told it was already done and sent to
  what the first one created. Without the cache (Redis down) the guard steps aside and the post is
  handled as usual: a page never fails because of it.
"""

import logging
import re
import secrets
import sys
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from portal.exceptions import TransitionRefused

logger = logging.getLogger(__name__)

# --- the database is unavailable ---------------------------------------------------------------
DATABASE_ERRORS = (OperationalError, InterfaceError)
_FLAG = "_portal_database_unavailable"
RETRY_AFTER_SECONDS = 30


def _note_database_error(sender, request=None, **kwargs):
    """got_request_exception is sent for every uncaught exception, in a view or in a middleware,
    before Django builds its 500 response: remember on the request whether the database caused it."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        setattr(request, _FLAG, True)


def unavailable_response() -> HttpResponse:
    """The 503 page. Rendered without the request: no context processor (the unread-notification
    count, the user) may touch the database that is down."""
    response = HttpResponse(render_to_string("portal/unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turns the 500 of a request that failed because the database did not answer into a 503.

    Placed before the session and authentication middleware, so a failure anywhere inside (loading
    the session, the user, the view, saving the session) is covered. Django still logs the error with
    its traceback for the operators; the person sees a page that says to try again shortly."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_note_database_error, dispatch_uid="portal.resilience.database")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _FLAG, False) and not settings.DEBUG:
            return unavailable_response()
        return response


# --- free text read straight from a post ---------------------------------------------------------
def posted_text(request, name: str, max_length: int = 2000) -> str:
    """A free-text field a view reads without a form (a grading note, a panel's comment): cut to
    `max_length`. A NUL character — which every form refuses and PostgreSQL cannot store — refuses
    the post with a message instead of failing it (found by tests/resilience/test_fuzz_forms.py)."""
    value = request.POST.get(name, "")[:max_length]
    if "\x00" in value:
        raise TransitionRefused(_("内容中含有不允许的空字符，请删除后重新提交。"))
    return value


# --- a form posted twice ------------------------------------------------------------------------
FORM_TOKEN_FIELD = "form_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
TOKEN_SECONDS = 24 * 3600
PENDING = "pending"
WAIT_SECONDS = 5.0  # how long a duplicate waits for the first post to finish, to send the person there


def form_token_new() -> str:
    return secrets.token_urlsafe(24)


class Once:
    """What submitted_once tells the view: `repeated` when this token was already used."""

    def __init__(self, key: str | None):
        self.key = key
        self.repeated = False
        self.result_url = ""
        self.finished = False

    def done(self, url: str) -> None:
        """The effect happened and committed: remember where it is, for a repeated post."""
        self.finished = True
        if self.key:
            try:
                cache.set(self.key, url or "/", TOKEN_SECONDS)
            except Exception:
                logger.warning("form token not recorded: the cache is unavailable", exc_info=True)

    def repeated_response(self, request, fallback: str):
        messages.info(request, _("该表单已经提交过，未重复办理。"))
        return redirect(self.result_url or fallback)


def _claim(key: str) -> bool | None:
    """True: this request holds the token now; False: another request had it; None: no cache."""
    try:
        return cache.add(key, PENDING, TOKEN_SECONDS)
    except Exception:
        logger.warning("form token not checked: the cache is unavailable", exc_info=True)
        return None


def _first_result(key: str) -> str:
    """Where the first post went, waiting a few seconds if it is still being handled."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            value = cache.get(key)
        except Exception:
            return ""
        if value != PENDING or time.monotonic() >= deadline:
            return value if value and value != PENDING else ""
        time.sleep(0.1)


@contextmanager
def submitted_once(request):
    """Around the effect of a create form:

        with submitted_once(request) as once:
            if once.repeated:
                return once.repeated_response(request, fallback=reverse(...))
            thing = services.thing_create(...)
            once.done(reverse("thing", args=[thing.pk]))

    A post without a well-formed token is handled as usual (nothing to compare it with). When the
    effect fails (a refusal, an exception), the token is released, so the corrected form may be sent."""
    token = request.POST.get(FORM_TOKEN_FIELD, "")
    key = f"form-token:{request.path}:{token}" if _TOKEN.match(token) else None
    once = Once(key)
    if key:
        claimed = _claim(key)
        if claimed is None:
            once.key = None
        elif not claimed:
            once.repeated = True
            once.result_url = _first_result(key)
    try:
        yield once
    finally:
        if once.key and not once.repeated and not once.finished:
            try:
                cache.delete(once.key)
            except Exception:
                logger.warning("form token not released: the cache is unavailable", exc_info=True)
