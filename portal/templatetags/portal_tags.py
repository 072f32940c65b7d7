"""Template helpers of the portal shell: `{% load portal_tags %}`.

For links that keep the current query string (pagination, sorting, filters) use Django's built-in
`{% querystring page=3 %}` / `{% querystring sort="name" page=None %}`; nothing here duplicates it.
"""

from datetime import timedelta

from django import template
from django.forms.boundfield import BoundField
from django.template.base import token_kwargs
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from portal.forms import merge_classes
from portal.forms import widget_kind as _widget_kind
from portal.guides import GUIDES
from portal.text import grouped_wan, grouped_yuan

register = template.Library()


@register.filter
def add_class(field, css_class):
    """`{{ form.name|add_class:"form-control-lg" }}`: the widget with extra classes, its own kept."""
    if not isinstance(field, BoundField):
        return field
    return field.as_widget(attrs={"class": merge_classes(field.field.widget.attrs.get("class"), css_class)})


@register.filter
def widget_kind(field):
    """The kind of control a bound field is (portal.forms.widget_kind): "input", "select", "checkbox"…"""
    if not isinstance(field, BoundField):
        return ""
    return _widget_kind(field.field.widget)


@register.filter
def elided_page_range(page_obj, on_each_side=2):
    """The page numbers to show around the current page, with `Paginator.ELLIPSIS` in the gaps."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=int(on_each_side), on_ends=1))


@register.filter
def duration(value):
    """A timedelta in words: "1 小时", "1 小时 30 分钟", "2 天"."""
    if not isinstance(value, timedelta):
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d 天", "%(count)d 天", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d 小时", "%(count)d 小时", hours) % {"count": hours})
    if minutes:
        parts.append(ngettext("%(count)d 分钟", "%(count)d 分钟", minutes) % {"count": minutes})
    if not parts:
        return gettext("不到 1 分钟")
    return " ".join(parts)


@register.filter
def yuan(amount):
    """An amount in yuan on a page: 200,000.00 元, the same figure as the documents print (the unit
    follows the page's language)."""
    if amount in (None, ""):
        return ""
    return gettext("%(amount)s 元") % {"amount": grouped_yuan(amount)}


@register.filter
def wan(amount):
    """An amount held in 万元 on a page: 360万元 (the unit follows the page's language)."""
    if amount in (None, ""):
        return ""
    return gettext("%(amount)s万元") % {"amount": grouped_wan(amount)}


@register.inclusion_tag("portal/_guide_link.html")
def guide_link(slug):
    """A link to the process's 办事指南 (portal.guides), or nothing for a process without one."""
    guide = GUIDES.get(slug)
    return {"guide": guide, "url": reverse("guide", args=[slug]) if guide else ""}


@register.simple_tag(takes_context=True)
def rendered_block(context, name):
    """`{% rendered_block "page_title" %}`: the named block of the page being rendered, once more.

    Django lets a template define a block only once; layout/page.html shows the page's title in the
    window title, the breadcrumb trail and the h1, so that each page states it once."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context else None
    return block.render(context) if block else ""


class ListingNode(template.Node):
    def __init__(self, nodelist, rows, options):
        self.nodelist, self.rows, self.options = nodelist, rows, options

    def render(self, context):
        shown = self.rows is None or bool(self.rows.resolve(context))
        option = {name: value.resolve(context) for name, value in self.options.items()}
        values = {
            "listing_shown": shown,
            "listing_body": self.nodelist.render(context) if shown else "",
            "listing_framed": option.get("frame", True),
            "listing_caption": option.get("caption", ""),
            "listing_empty": option.get("empty", ""),
        }
        listing = context.template.engine.get_template("layout/_listing.html")
        with context.push(values):
            return listing.render(context)


@register.tag
def listing(parser, token):
    """A list of a page with its frame, pagination and empty state (layout/_listing.html):

        {% listing notices empty=_("暂无公示。") %}<table>…</table>{% endlisting %}
        {% listing experts empty=_("没有符合条件的专家。") caption=_("专家列表") %}<thead>…{% endlisting %}

    The body sits in a horizontally scrolling frame (`frame=False` for a <ul> or a list group) and is
    followed by the pagination of `page_obj`; when `experts` is empty the empty state with the message
    shows instead. Without rows the body is always shown (a table that has its own empty row). With a
    caption the body is the head and rows of the list's table of records, which the frame draws."""
    bits = token.split_contents()[1:]
    rows = parser.compile_filter(bits.pop(0)) if bits and "=" not in bits[0] else None
    options = token_kwargs(bits, parser)
    if bits or set(options) - {"empty", "frame", "caption"}:
        raise template.TemplateSyntaxError("{% listing %} takes rows, empty=, frame= and caption= only")
    nodelist = parser.parse(("endlisting",))
    parser.delete_first_token()
    return ListingNode(nodelist, rows, options)
