"""What the apps' screens share: a page hidden from those without the right, and the page of an
Excel import (its template, a dry run listing every problem, an all-or-nothing import)."""

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.documents.excel import Column, excel_response


def hidden_unless(predicate: Callable) -> Callable:
    """The check of a view whose pages do not exist (404, never a 403 page) for a user of whom
    `predicate` does not hold: `_check_bureau = hidden_unless(may_review)`, then `_check_bureau(request)`."""

    def check(request) -> None:
        if not predicate(request.user):
            raise Http404

    return check


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
