"""``{{ chart|chart_svg }}``: a ``queries.insights.Chart`` drawn as SVG (``web/charts.py``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kithkin.queries.insights import Chart
from kithkin.web import charts

register = template.Library()


@register.filter
def chart_svg(chart: Chart) -> SafeString:
    return charts.render(chart)


@register.filter
def series_class(index: int) -> str:
    return f"series-{index % charts.SERIES_CLASSES}"
