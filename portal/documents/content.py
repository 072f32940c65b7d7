"""How the portal's documents print what they hold: dates as official documents write them, and a
record's fields and rows as the official forms lay them out (label, value; a numbered table)."""

from datetime import date

from portal.text import wan


def date_cn(day: date) -> str:
    """The date as official documents write it: 2026年11月29日."""
    return f"{day.year}年{day.month}月{day.day}日"


def value_of(record, name):
    """A field of `record` as the form prints it: choices by label, 万元 amounts in one format."""
    getter = getattr(record, f"get_{name}_display", None)
    value = getter() if getter else getattr(record, name)
    if value in (None, ""):
        return ""
    if name.endswith("_wan"):
        return wan(value)
    if name.endswith("_m2"):
        return f"{value:,.2f} 平方米"
    if isinstance(value, date):
        return date_cn(value)
    return str(value)


def label_of(record, name) -> str:
    """A field's label on the form; an amount prints its unit with the value (360万元)."""
    label = str(record._meta.get_field(name).verbose_name)
    return label.replace("（万元）", "") if name.endswith("_wan") else label


def fields_of(record, names) -> list[tuple[str, str]]:
    return [(label_of(record, n), value_of(record, n)) for n in names]


def table_of(model, rows, columns) -> dict:
    head = ["序号", *(str(model._meta.get_field(n).verbose_name) for n in columns)]
    head = [h.replace("（万元）", "") for h in head]
    return {"head": head, "rows": [[i, *(value_of(r, n) for n in columns)] for i, r in enumerate(rows, 1)]}
