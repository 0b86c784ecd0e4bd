"""The `<option>`s of a list page's pickers (`registry.pickers`), written in one pass.

A province's department picker has ~900 options; through `{% for %}`, `{% if %}` and
`{% regroup %}` that is ~100 ms of template work per request on this machine (issue 10), in
Python a few ms. The markup is the partials' own (`partials/filters_*.html`), values escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # what django.utils.html.escape does, without its lazy-text wrapper
from itertools import groupby
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
INDENT = "\u3000"  # a category under a listed parent: one ideographic space


def _option(value: Any, label: str, selected: str) -> str:
    mark = " selected" if str(value) == selected else ""
    return f'<option value="{escape(str(value))}"{mark}>{escape(label)}</option>'


@register.simple_tag
def region_options(options: Iterable[Any], selected: str = "") -> SafeString:
    return mark_safe("".join(_option(r.code, r.name, selected) for r in options))  # noqa: S308 (escaped above)


@register.simple_tag
def category_options(options: Iterable[Any], selected: str = "") -> SafeString:
    html = "".join(_option(c.code, f"{INDENT if c.indent else ''}{c.name}", selected) for c in options)
    return mark_safe(html)  # noqa: S308 (escaped above)


@register.simple_tag
def department_options(options: Iterable[Any], selected: str = "") -> SafeString:
    """Grouped by region, consecutive runs, as `{% regroup %}` groups them."""
    groups = []
    for region, departments in groupby(options, key=lambda d: d.region):
        inner = "".join(_option(d.pk, d.name, selected) for d in departments)
        groups.append(f'<optgroup label="{escape(region.name)}">{inner}</optgroup>')
    return mark_safe("".join(groups))  # noqa: S308 (escaped above)
