"""Charts as server-rendered SVG: stacked bars or lines drawn from a ``queries.insights.Chart``
exactly as its numbers are, with a <title> on the chart and on every bar and point, and
axis labels. No script and no style attribute (the CSP allows neither): colours come
from classes (``series-0``...) in app.css. The table of the same numbers is the template's
(``partials/chart.html``), behind a <details>.
"""

from __future__ import annotations

import math
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kithkin.queries.insights import Chart

WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 28
SERIES_CLASSES = 6
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def nice_max(value: float) -> float:
    """The top of the y axis: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def short_label(label: str, index: int) -> str:
    """A month "2025-03" as "Mar", with its year at January and at the first one."""
    match = _MONTH.match(label)
    if match is None:
        return label
    name = _MONTH_NAMES[int(match[2]) - 1]
    return f"{name} {match[1][2:]}" if index == 0 or match[2] == "01" else name


def _number(value: float) -> str:
    return f"{value:g}"


def render(chart: Chart) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(1, len(chart.labels))
    if chart.kind == "bars":
        top = max(
            (sum(s.values[i] for s in chart.series) for i in range(len(chart.labels))), default=0
        )
    else:
        top = max((max(s.values, default=0) for s in chart.series), default=0)
    if chart.unit == "%":
        top = 100
    ymax = nice_max(top)
    step = plot_w / count

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / ymax

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-{chart.key}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{chart.key}-title">{escape(chart.title)}: {escape(chart.summary)}</title>',
    ]
    for tick in (0, ymax / 2, ymax):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="axis" x="{LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{_number(tick)}</text>"
        )
    every = 1 if count <= 6 else 2 if count <= 12 else math.ceil(count / 6)
    for i, label in enumerate(chart.labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
                f"{escape(short_label(label, i))}</text>"
            )
    if chart.kind == "bars":
        width = step * 0.7
        for i, label in enumerate(chart.labels):
            base = 0.0
            for n, series in enumerate(chart.series):
                value = series.values[i]
                if not value:
                    continue
                x = LEFT + step * i + (step - width) / 2
                parts.append(
                    f'<rect class="series-{n % SERIES_CLASSES}" x="{x:.1f}" '
                    f'y="{y(base + value):.1f}" width="{width:.1f}" '
                    f'height="{y(base) - y(base + value):.1f}"><title>{escape(label)}, '
                    f"{escape(series.name)}: {_number(value)} {escape(chart.unit)}</title></rect>"
                )
                base += value
    else:
        for n, series in enumerate(chart.series):
            points = [(LEFT + step * (i + 0.5), y(value)) for i, value in enumerate(series.values)]
            line = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline class="line series-{n % SERIES_CLASSES}" points="{line}"/>')
            for (px, py), label, value in zip(points, chart.labels, series.values, strict=True):
                parts.append(
                    f'<circle class="series-{n % SERIES_CLASSES}" cx="{px:.1f}" cy="{py:.1f}" '
                    f'r="3"><title>{escape(label)}, {escape(series.name)}: {_number(value)}'
                    f"{'' if chart.unit == '%' else ' '}{escape(chart.unit)}</title></circle>"
                )
    parts.append(
        f'<line class="axis-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/></svg>'
    )
    return mark_safe("".join(parts))
