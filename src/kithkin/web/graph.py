"""The graph around a person (``queries.graph.Around``) as server-rendered SVG: the person
in the middle, their ties on a ring, the ties of those on an outer ring beside them. Every
node is a link to that person's own graph; names are first names on the drawing (full
names in each node's <title> and in the list the page shows beside it). No script, no
style attribute (CSP): classes in app.css.
"""

from __future__ import annotations

import math

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kithkin.queries.graph import Around, Tied

SIZE = 400
CENTER = SIZE / 2
NEAR, FAR = 125, 215
STAGGER = 34  # how much further out every other person of a group on the outer ring is
STRONG = 60  # a tie at least this strong is drawn bold
LABEL_ROOM = 52  # half the width a name under a node may take


def _short(name: str) -> str:
    first = name.split()[0] if name.split() else name
    return first if len(first) <= 10 else first[:9] + "…"


def _node(x: float, y: float, tied_name: str, person_id: int, css: str, title: str) -> str:
    href = reverse("person_graph", args=[person_id])
    anchor = "middle"
    dy = 24 if y >= CENTER else -14
    return (
        f'<a href="{escape(href)}" class="node {css}"><title>{escape(title)}</title>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{11 if css == "center" else 9}"/>'
        f'<text x="{x:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">{escape(_short(tied_name))}</text></a>'
    )


def _title(tied: Tied) -> str:
    return f"{tied.person.name} ({tied.strength}): {'; '.join(tied.reasons)}"


def render(graph: Around) -> SafeString:
    edges: list[str] = []
    nodes: list[str] = []
    spots: list[tuple[float, float]] = []
    count = max(1, len(graph.first))
    place: dict[int, tuple[float, float, float]] = {}
    for i, tied in enumerate(graph.first):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        x, y = CENTER + NEAR * math.cos(angle), CENTER + NEAR * math.sin(angle)
        place[tied.person.id] = (x, y, angle)
        edges.append(
            f'<line class="edge{" strong" if tied.strength >= STRONG else ""}" x1="{CENTER}" '
            f'y1="{CENTER}" x2="{x:.1f}" y2="{y:.1f}"/>'
        )
        nodes.append(_node(x, y, tied.person.name, tied.person.id, "near", _title(tied)))
        spots.append((x, y))
    spread = 2 * math.pi / count * 0.8
    for via, (vx, vy, angle) in place.items():
        outer = graph.second_of(via)
        for j, tied in enumerate(outer):
            offset = 0.0 if len(outer) == 1 else spread * (j / (len(outer) - 1) - 0.5)
            a = angle + offset
            # every other one a step further out: neighbours' names do not run together
            far = FAR + (STAGGER if len(outer) > 2 and j % 2 else 0)
            x, y = CENTER + far * math.cos(a), CENTER + far * math.sin(a)
            edges.append(
                f'<line class="edge{" strong" if tied.strength >= STRONG else ""}" '
                f'x1="{vx:.1f}" y1="{vy:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>'
            )
            nodes.append(_node(x, y, tied.person.name, tied.person.id, "far", _title(tied)))
            spots.append((x, y))
    center = _node(CENTER, CENTER, graph.person.name, graph.person.id, "center", graph.person.name)
    # The drawing's box: around the nodes placed, with room for the names beside them, so
    # a small graph is drawn large on a phone.
    xs = [CENTER, *(x for x, _ in spots)]
    ys = [CENTER, *(y for _, y in spots)]
    left, top = min(xs) - LABEL_ROOM, min(ys) - 30
    width, height = max(xs) - min(xs) + 2 * LABEL_ROOM, max(ys) - min(ys) + 30 + 34
    return mark_safe(
        f'<svg class="graph" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="graph-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="graph-title">Ties around {escape(graph.person.name)}: '
        f"{len(graph.first)} people, and {len(graph.second)} more through them</title>"
        + "".join(edges)
        + "".join(nodes)
        + center
        + "</svg>"
    )
