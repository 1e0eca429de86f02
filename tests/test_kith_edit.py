"""`kith edit` changes names, emails, phones and jobs through the people, contact-point and
affiliation services; all or nothing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import Affiliation, Person
from tests.conftest import TODAY
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def kith(owner):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def ada(network):
    return make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        phones=["+44 20 7946 0958"],
        organization="Analytical Engines",
        title="CTO",
        circle="regular",
    )


def test_names(kith, ada):
    result = kith("edit", "Ada", "--name", "Augusta Ada King")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Renamed Ada Lovelace to Augusta Ada King (given name Augusta, family name Ada King).\n"
    )
    result = kith("edit", "Augusta", "--first", "Ada", "--last", "King")
    assert result.stdout == "Saved Augusta Ada King (given name Ada, family name King).\n"
    ada.refresh_from_db()
    assert (ada.full_name, ada.given_name, ada.family_name) == ("Augusta Ada King", "Ada", "King")


def test_emails_and_phones(kith, ada):
    result = kith(
        "edit", "Ada",
        "--email", "Ada@Analytical.example",
        "--remove-email", "ADA@example.org",
        "--phone", "+33 6 12 34 56 78",
        "--remove-phone", "+442079460958",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Removed email ada@example.org.",
        "Removed phone +44 20 7946 0958.",
        "Added email Ada@analytical.example.",
        "Added phone +33 6 12 34 56 78.",
    ]
    assert sorted(ada.contact_points.values_list("kind", "normalized", "is_primary")) == [
        ("email", "ada@analytical.example", True),
        ("phone", "+33612345678", True),
    ]


def test_jobs(kith, ada):
    result = kith(
        "edit", "Ada", "--end-job", "analytical engines", "--job", "Fellow at Royal Society"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Ended job: CTO at Analytical Engines on {TODAY}.",
        "Added job: Fellow at Royal Society.",
    ]
    result = kith("edit", "Ada", "--org", "Difference Engines", "--title", "Adviser")
    assert result.stdout == "Added job: Adviser at Difference Engines.\n"
    current = Affiliation.objects.filter(person=ada, end_on__isnull=True)
    assert sorted(str(a) for a in current) == [
        "Adviser at Difference Engines",
        "Fellow at Royal Society",
    ]
    assert kith("find", "royal", "--json").stdout.count("Ada Lovelace") == 1


def test_all_or_nothing_and_errors_name_the_option(kith, ada):
    result = kith("edit", "Ada", "--name", "Ada King", "--remove-email", "nobody@example.org")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --remove-email: Ada Lovelace has no email nobody@example.org"
    )
    assert Person.objects.get(pk=ada.pk).full_name == "Ada Lovelace"
    result = kith("edit", "Ada", "--end-job", "Royal Society")
    assert result.exit_code == 2
    assert "--end-job: Ada Lovelace has no current job at 'Royal Society'" in result.stderr
    assert "(current jobs: CTO at Analytical Engines)" in result.stderr
    result = kith("edit", "Ada", "--email", "not an email")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --email:")
    result = kith("edit", "Ada", "--job", "X at Y", "--org", "Z")
    assert result.exit_code == 2 and "either --job or --org/--title" in result.stderr


def test_without_changes_it_says_the_cadence(kith, ada):
    result = kith("edit", "Ada")
    assert result.exit_code == 0
    assert result.stdout.startswith("Ada Lovelace: regular, next check-in due ")
