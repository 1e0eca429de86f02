"""Named users (owner, teammate, viewer, outsider), frozen time, and the CLI runner."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

os.environ.setdefault("COLUMNS", "200")  # wide Rich tables in CLI output under test

from tests import factories
from tests.live_server import install as serve_one_request_at_a_time_on_sqlite

serve_one_request_at_a_time_on_sqlite()

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# Every date-based test runs at this instant unless it travels elsewhere:
# Friday 20 February 2026, 09:00 in Paris.
FROZEN_NOW = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
TODAY = dt.date(2026, 2, 20)


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def owner(db: None) -> factories.User:
    return factories.make_user("owner", full_name="Olive Owner")


@pytest.fixture
def network(owner: factories.User) -> factories.Network:
    return factories.network_of(owner)


@pytest.fixture
def teammate(network: factories.Network) -> factories.User:
    """An editor in the owner's network."""
    return factories.make_member(network, "teammate", role="editor")


@pytest.fixture
def viewer(network: factories.Network) -> factories.User:
    """May read the owner's network, never change it."""
    return factories.make_member(network, "viewer", role="viewer")


@pytest.fixture
def outsider(db: None) -> factories.User:
    """Has a network of their own and no business in the owner's."""
    return factories.make_user("outsider", full_name="Oscar Outsider")


@pytest.fixture
def kith(owner: factories.User):
    """Run `kith ARGS...` in-process as the owner; the result has exit_code, stdout, stderr."""
    from typer.testing import CliRunner

    from kithkin.cli.app import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A suite marked `once` tests something the database under the suite does not change:
    a protocol against a real server, or `kith` processes on a data directory of their own
    (SQLite, whatever the pass). CI runs the suite on SQLite and again on PostgreSQL, and
    the second pass skips it."""
    from django.conf import settings

    if item.get_closest_marker("once") and "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("runs once, on the SQLite pass: the database under the suite changes nothing")
