"""The Dashboard's charts, the warm-intro paths page and the graph around a person, as
their users see them; outsiders get 404 and viewers may read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from kithkin.queries import strength
from kithkin.queries.insights import stats
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.factories_drafts import relate
from tests.factories_milestones import make_job
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(network, owner, monkeypatch):
    ada, bob, tess = (make_person(network, n) for n in ("Ada Lovelace", "Bob Byron", "Tess Turing"))
    relate(network, ada, tess, "friend")
    relate(network, bob, tess, "colleague")
    make_job(network, tess, "Babbage & Co", start_on=dt.date(2020, 1, 1), title="CTO")
    log(network, [ada], on=dt.date(2026, 1, 12), kind="meeting")
    log(network, [ada, bob], on=dt.date(2025, 11, 3), kind="email")
    monkeypatch.setattr(
        strength,
        "scores",
        lambda n, u, ids: {p: s for p, s in {ada.pk: 80, bob.pk: 40}.items() if p in set(ids)},
    )
    return ada, bob, tess


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_dashboard_draws_each_chart_from_its_query(owner_client, network, world):
    page = text(owner_client.get(reverse("dashboard")))
    figures = stats(network, TODAY)
    assert "How the practice is going" in page
    for chart in figures.charts:
        assert f'id="chart-{chart.key}"' in page
    interactions = figures.chart("interactions")
    # The table behind the chart holds the query's numbers, row by row.
    rows = re.findall(r'<tr><th scope="row">(2026-01)</th>(.*?)</tr>', page)
    assert rows, "the January row of the interactions table"
    january = interactions.labels.index("2026-01")
    cells = [int(c) for c in re.findall(r"<td>(\d+)</td>", rows[0][1])]
    assert cells == [s.values[january] for s in interactions.series]
    # And every bar's title says the same number.
    for series in interactions.series:
        value = series.values[january]
        if value:
            assert f"<title>2026-01, {series.name}: {value} interactions</title>" in page


def test_the_dashboard_has_no_inline_style_or_script(owner_client, world):
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert " style=" not in page and "<script>" not in page


def test_a_path_search_lists_hops_with_their_reasons(owner_client, world):
    _ada, _bob, _tess = world
    page = text(owner_client.get(reverse("paths"), {"to": "Tess"}))
    assert "Paths to Tess Turing" in page
    friends = page.index("Ada Lovelace and Tess Turing are friends")
    assert friends < page.index("Bob Byron and Tess Turing are colleagues")
    assert "You know Ada Lovelace (strength 80)" in page


def test_an_organization_names_who_is_there(owner_client, world):
    page = text(owner_client.get(reverse("paths"), {"to": "Babbage"}))
    assert "Who knows Babbage &amp; Co best" in page
    assert "Tess Turing is CTO at Babbage &amp; Co now." in page


def test_the_person_and_organization_pages_link_to_paths(owner_client, world):
    _ada, _bob, tess = world
    person = text(owner_client.get(reverse("person", args=[tess.pk])))
    assert f'href="/paths/?to=p{tess.pk}"' in person
    assert f'href="/people/{tess.pk}/graph/"' in person
    organization = tess.affiliations.get().organization
    org_page = text(owner_client.get(reverse("organization", args=[organization.pk])))
    assert f'href="/paths/?to=o{organization.pk}"' in org_page


def test_unknown_targets_say_so(owner_client, world):
    response = owner_client.get(reverse("paths"), {"to": "Nobody At All"})
    assert response.status_code == 404
    assert "No one and no organization called" in text(response)


def test_the_graph_shows_ties_two_hops_out_with_a_list(owner_client, world):
    ada, bob, tess = world
    page = text(owner_client.get(reverse("person_graph", args=[ada.pk])))
    assert "Around Ada Lovelace" in page
    assert '<svg class="graph"' in page
    assert f'href="/people/{tess.pk}/graph/"' in page  # first hop
    assert f'href="/people/{bob.pk}/graph/"' in page  # tied through Tess, and met together
    assert "Ada Lovelace and Tess Turing are friends" in page


def test_a_viewer_may_read_every_insight_page(network, viewer, world):
    ada, _, tess = world
    viewer.current_network = network
    viewer.save()
    client = client_for(viewer)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("paths"), {"to": f"p{tess.pk}"}).status_code == 200
    assert client.get(reverse("person_graph", args=[ada.pk])).status_code == 200


def test_paths_from_another_member(owner_client, network, teammate, world):
    page = text(owner_client.get(reverse("paths"), {"to": "Tess", "from": teammate.pk}))
    assert "from Teammate Member" in page


def test_an_outsider_finds_nothing(outsider_client, owner, network, world):
    ada, _, tess = world
    assert outsider_client.get(reverse("person_graph", args=[ada.pk])).status_code == 404
    response = outsider_client.get(reverse("paths"), {"to": f"p{tess.pk}"})
    assert response.status_code == 404 and "Tess" not in text(response).replace(f"p{tess.pk}", "")
    assert outsider_client.get(reverse("paths"), {"to": "x", "from": owner.pk}).status_code == 404
