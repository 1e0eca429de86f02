"""The network's phone region: numbers written without +country code are read in it, by
every service that stores a phone (adding, editing, the CLI and the web)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.errors import Forbidden, InvalidInput
from kithkin.models import ContactPoint, Network
from kithkin.services.accounts import update_settings
from kithkin.services.contact_points import add_contact_point
from tests.factories import make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def phones(network: Network) -> list[tuple[str, str]]:
    return list(
        ContactPoint.objects.filter(person__network=network, kind="phone")
        .order_by("pk")
        .values_list("value", "normalized")
    )


def test_numbers_without_a_country_code_need_the_region(network, owner):
    with pytest.raises(InvalidInput, match="set the network's phone region"):
        make_person(network, "Ada Lovelace", phones=["06 12 34 56 78"])
    update_settings(owner, network, phone_region="fr")
    assert Network.objects.get(pk=network.pk).phone_region == "FR"
    ada = make_person(network, "Ada Lovelace", phones=["06 12 34 56 78", "+44 20 7946 0958"])
    add_contact_point(network, owner, ada, kind="phone", value="01 23 45 67 89")
    assert phones(network) == [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+33 1 23 45 67 89", "+33123456789"),
    ]


def test_the_region_is_a_known_country_and_only_editors_change_it(network, owner, viewer):
    with pytest.raises(InvalidInput, match="region: 'France' is not a country code"):
        update_settings(owner, network, phone_region="France")
    with pytest.raises(Forbidden):
        update_settings(viewer, network, phone_region="FR")
    update_settings(owner, network, phone_region="GB")
    update_settings(owner, network, phone_region="")
    assert Network.objects.get(pk=network.pk).phone_region == ""


def test_kith_settings_region(owner, network):
    runner = CliRunner()

    def kith(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    assert json.loads(kith("settings", "--json").stdout)["phone_region"] is None
    assert "phone region: FR" in kith("settings", "--region", "fr").stdout
    added = kith("add", "Ada Lovelace", "--phone", "06 12 34 56 78")
    assert added.exit_code == 0, added.stderr
    assert phones(network) == [("+33 6 12 34 56 78", "+33612345678")]
    bad = kith("settings", "--region", "Gaul")
    assert bad.exit_code == 2
    assert bad.stderr == "Error: region: 'Gaul' is not a country code: use FR, GB, US...\n"
    assert "phone region: none" in kith("settings", "--region", "").stdout


def test_the_settings_page_sets_the_region(owner, network):
    owner_client = client_for(owner)
    page = owner_client.get("/settings/").content.decode()
    assert 'name="phone_region"' in page
    form = {"time_zone": "Europe/Paris", "daily_outreach_budget": 5, "phone_region": "de"}
    assert owner_client.post("/settings/", form).status_code == 302
    assert Network.objects.get(pk=network.pk).phone_region == "DE"
    bad = owner_client.post("/settings/", form | {"phone_region": "ZZ"})
    assert "is not a country code" in bad.content.decode()
    assert Network.objects.get(pk=network.pk).phone_region == "DE"


def test_a_viewer_cannot_change_the_region(network, viewer):
    viewer.current_network = network
    viewer.save()
    client = client_for(viewer)
    form = {
        "time_zone": "Europe/Paris",
        "daily_outreach_budget": network.daily_outreach_budget,
        "phone_region": "FR",
    }
    assert client.post("/settings/", form).status_code == 403
    assert Network.objects.get(pk=network.pk).phone_region == ""
