"""Import of bases recognised under the 2020 measures (the bureau): template, dry run, all-or-nothing."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bases.imports import COLUMNS, legacy_import
from bases.permissions import may_review
from portal.views import import_page, import_template, pages_for

_bureau_page = pages_for(may_review)


@_bureau_page(require_GET)
def legacy_template(request):
    example = [
        "忻州市示例材料中试基地",
        "示例材料",
        "忻州示例材料有限公司",
        "91140902MA0XY1A25X",
        "忻府区工信和科技局",
        date(2021, 6, 30),
        "忻科字〔2021〕45号",
    ]
    return import_template("既有基地导入模板", _("既有基地"), COLUMNS, example)


@_bureau_page(require_http_methods(["GET", "POST"]))
def legacy(request):
    return import_page(
        request,
        run=legacy_import,
        imported=_("已导入 %(n)d 个既有基地。"),
        done_url=f"{reverse('bases:list')}?status=recognized",
        page={
            "title": _("导入按2020年办法认定的基地"),
            "intro": _(
                "依据《忻州市中试基地认定管理办法》（忻科规〔2020〕1号）认定的基地，以“已认定”状态进入平台。"
            ),
            "back_url": reverse("bases:list"),
            "back_label": _("中试基地"),
            "template_url": reverse("bases:legacy_template"),
        },
    )
