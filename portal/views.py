"""What the apps' screens share: a page hidden from those without the right, the minutes of a
meeting, a refused form's word on its files, a posted form or a button handed to its service, and the
page of an Excel import (its template, a dry run listing every problem, an all-or-nothing import)."""

from collections.abc import Callable, Sequence
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.documents.excel import Column, excel_response
from portal.documents.views import serve_attachment
from portal.forms import refusal_to_form


def pages_for(predicate: Callable) -> Callable:
    """The pages of a logged-in user of whom `predicate` holds; for anyone else they do not exist
    (404, never a 403 page). `_bureau_page = pages_for(may_review)`, then on a view
    `@_bureau_page(require_GET)`: the login first (anonymous: the login page), then the methods
    (405), then the right (404)."""

    def page(methods: Callable) -> Callable:
        def decorate(view: Callable) -> Callable:
            @wraps(view)
            def checked(request, *args, **kwargs):
                if not predicate(request.user):
                    raise Http404
                return view(request, *args, **kwargs)

            return login_required(methods(checked))

        return decorate

    return page


def serve_minutes(model, pk):
    """The minutes attached to the record of a meeting (a panel's, a Party-group meeting's); 404
    while none is attached."""
    record = get_object_or_404(model.objects.prefetch_related("attachments"), pk=pk)
    if record.minutes is None:
        raise Http404
    return serve_attachment(record.minutes)


def files_not_kept(request, form, message: str) -> None:
    """A browser never refills a file input: on a refused form that came with files, say so (`message`)
    rather than let them vanish silently."""
    if request.method == "POST" and form.errors and request.FILES:
        form.add_error(None, message)


def form_to_service(request, form, service: Callable, *, refused: tuple, done: Callable, files_lost=""):
    """A valid posted form goes to its service, `service(form.cleaned_data)`: a refusal among
    `refused` is put on the form, everything typed kept (None: the view shows the form again, and
    says `files_lost` when files came with it); carried out, `done(result)` gives the message and
    where to go (what redirect() takes), and the answer is that redirect. Else None."""
    if request.method == "POST" and form.is_valid():
        try:
            result = service(form.cleaned_data)
        except refused as exc:
            refusal_to_form(form, exc)
        else:
            message, url = done(result)
            messages.success(request, message)
            return redirect(url)
    if files_lost:
        files_not_kept(request, form, files_lost)
    return None


def act_and_return(request, service: Callable, *, refused: tuple, said: Callable, back):
    """A button that acts (a POST, no form), then goes `back` (what redirect() takes) either way:
    `service()`'s refusal among `refused` is said as an error; carried out, `said(result)` gives
    what to say, the success first and any warnings after."""
    try:
        result = service()
    except refused as exc:
        messages.error(request, exc.message)
    else:
        success, *warnings = said(result)
        messages.success(request, success)
        for warning in warnings:
            messages.warning(request, warning)
    return redirect(back)


def import_template(filename: str, title: str, columns: Sequence[tuple[str, Column]], example: list):
    """The import's template to download: the header of `columns` (pairs of key and column, as the
    import reads them) and one example row."""
    return excel_response(filename, title, [column for _key, column in columns], [example])


def import_page(request, *, run: Callable, imported: str, done_url: str, page: dict):
    """The page of an Excel import: 检查 runs `run` as a dry run listing every problem by row and
    column, 导入 applies it all or nothing and, done, goes to `done_url` saying `imported` (a
    message with %(n)d, the rows). `page` is the title, intro, links back and to the template."""
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的 Excel 文件。"))
        else:
            result = run(actor=request.user, file=upload, apply=request.POST.get("action") == "apply")
            if result.applied:
                messages.success(request, imported % {"n": result.rows})
                return redirect(done_url)
            if not result.problems:
                messages.success(request, _("检查通过：%(n)d 行均可导入。") % {"n": result.rows})
    return render(request, "forms/import.html", {"result": result, **page})
