"""Merging two people keeps everything of both (DESIGN.md §3), as the preview said."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db.models import ForeignObjectRel
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import (
    ContactPoint,
    DismissedDuplicate,
    FollowUp,
    Interaction,
    Person,
    Relationship,
)
from kithkin.queries.duplicates import find_duplicates
from kithkin.queries.search import search
from kithkin.services.merge import (
    MERGED_RELATIONS,
    dismiss_duplicate,
    merge_people,
    preview_merge,
)
from kithkin.services.people import PersonChanges, update_person
from tests.factories import log, make_follow_up, make_person, network_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def babbage(network):
    return make_person(network, "Charles Babbage")


@pytest.fixture
def ada(network):
    """The person kept: already known, with a few things of her own."""
    ada = make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        phones=["+44 20 7946 0958"],
        organization="Analytical Engines",
        title="CTO",
        circle="close",
        tags=["math"],
        notes="Writes the first program.",
        location="London",
        connected_on=dt.date(2025, 3, 1),
    )
    log(network, ada, on=dt.date(2026, 1, 10), summary="Ada alone")
    make_follow_up(network, ada, "Send Ada the notes", due_on=dt.date(2026, 2, 25))
    return ada


@pytest.fixture
def augusta(network, owner, ada, babbage):
    """The same woman recorded again, with everything a person can have."""
    augusta = make_person(
        network,
        "Augusta Ada King",
        emails=["ADA@example.org", "augusta@example.org"],
        phones=["+44 7700 900123"],
        urls=["https://www.linkedin.com/in/augusta-king"],
        organization="Royal Society",
        title="Fellow",
        circle="regular",
        tags=["poetry", "Math"],
        notes="Daughter of Byron.",
        how_we_met="At a salon",
        what_matters="Poetical science",
        location="Ockham",
        connected_on=dt.date(2024, 6, 1),
        introduced_by=babbage,
    )
    update_person(
        network,
        owner,
        augusta,
        PersonChanges(headline="Countess of Lovelace", pronouns="she/her", birthday=(None, 12, 10)),
    )
    log(network, augusta, on=dt.date(2026, 2, 15), summary="Augusta alone")
    log(network, [ada, augusta, babbage], on=dt.date(2026, 1, 5), summary="All three")
    make_follow_up(network, augusta, "Thank Augusta", due_on=dt.date(2026, 2, 21))
    make_follow_up(network, [ada, augusta], "Book the salon", due_on=dt.date(2026, 3, 1))
    Relationship.objects.create(
        network=network, from_person=augusta, to_person=babbage, kind="colleague"
    )
    Relationship.objects.create(
        network=network, from_person=babbage, to_person=augusta, kind="mentor"
    )
    Relationship.objects.create(network=network, from_person=ada, to_person=augusta, kind="friend")
    Relationship.objects.create(
        network=network, from_person=babbage, to_person=ada, kind="colleague"
    )
    make_person(network, "Lord Byron", introduced_by=augusta)
    dismiss_duplicate(network, owner, augusta, babbage)
    return augusta


def test_merging_keeps_everything_of_both(network, owner, ada, augusta, babbage):
    kept = merge_people(network, owner, ada, augusta)

    assert not Person.objects.filter(pk=augusta.pk).exists()
    assert kept.pk == ada.pk and kept.full_name == "Ada Lovelace"
    assert sorted(i.summary for i in Interaction.objects.filter(participants=kept)) == [
        "Ada alone",
        "All three",
        "Augusta alone",
    ]
    assert Interaction.objects.get(summary="All three").participants.count() == 2  # Ada once
    points = {(p.kind, p.normalized, p.is_primary) for p in kept.contact_points.all()}
    assert points == {
        ("email", "ada@example.org", True),
        ("email", "augusta@example.org", False),
        ("phone", "+442079460958", True),
        ("phone", "+447700900123", False),
        ("social", "https://www.linkedin.com/in/augusta-king", True),
    }
    assert sorted(kept.tags.values_list("name", flat=True)) == ["math", "poetry"]
    assert sorted(str(a) for a in kept.affiliations.all()) == [
        "CTO at Analytical Engines",
        "Fellow at Royal Society",
    ]
    assert sorted(FollowUp.objects.filter(people=kept).values_list("title", flat=True)) == [
        "Book the salon",
        "Send Ada the notes",
        "Thank Augusta",
    ]
    assert FollowUp.objects.get(title="Book the salon").people.count() == 1
    assert set(
        Relationship.objects.filter(network=network).values_list(
            "from_person__full_name", "kind", "to_person__full_name"
        )
    ) == {
        ("Charles Babbage", "mentor", "Ada Lovelace"),
        ("Charles Babbage", "colleague", "Ada Lovelace"),
    }  # no friendship of Ada with herself; her colleague tie to Babbage is not doubled
    assert Person.objects.get(full_name="Lord Byron").introduced_by == kept
    assert kept.introduced_by == babbage
    assert DismissedDuplicate.objects.filter(person_a=min(kept.pk, babbage.pk)).exists()


def test_the_kept_details_win_and_the_others_fill_or_join_them(network, owner, ada, augusta):
    kept = merge_people(network, owner, ada, augusta)
    assert (kept.circle.name, kept.location) == ("close", "London")
    assert (kept.headline, kept.pronouns) == ("Countess of Lovelace", "she/her")
    assert (kept.birthday_month, kept.birthday_day) == (12, 10)
    assert (kept.how_we_met, kept.what_matters) == ("At a salon", "Poetical science")
    assert kept.notes == (
        "Writes the first program.\n\nDaughter of Byron.\n\n"
        "Also recorded as Augusta Ada King (location: Ockham)."
    )
    assert kept.connected_on == dt.date(2024, 6, 1)  # the earlier


def test_derived_state_and_search_follow_the_merge(network, owner, ada, augusta):
    kept = merge_people(network, owner, ada, augusta)
    assert kept.last_interaction_at.date() == dt.date(2026, 2, 15)  # Augusta's latest
    assert kept.check_in_due_on == dt.date(2026, 3, 17)  # + 30 days, Ada's close circle
    for words in ("augusta@example.org", "poetry", "Royal Society", "Ockham"):
        assert [hit.person for hit in search(network, words).people] == [kept], words


def test_the_preview_says_what_the_merge_does_and_writes_nothing(network, owner, ada, augusta):
    before = (Person.objects.count(), ContactPoint.objects.count(), Relationship.objects.count())
    preview = preview_merge(network, owner, ada, augusta)
    assert (Person.objects.count(), ContactPoint.objects.count(), Relationship.objects.count()) == (
        before
    )
    assert sorted(p.value for p in preview.contact_points_added) == [
        "+44 7700 900123",
        "augusta@example.org",
        "https://www.linkedin.com/in/augusta-king",
    ]
    assert [p.value for p in preview.contact_points_already_there] == ["ADA@example.org"]
    assert preview.tags_added == ["poetry"]
    assert [str(a) for a in preview.affiliations_added] == ["Fellow at Royal Society"]
    assert (preview.interactions_moved, preview.interactions_shared) == (1, 1)
    assert preview.follow_ups_moved == 1
    assert (preview.relationships_moved, preview.relationships_dropped) == (1, 2)
    assert preview.introductions_moved == 1
    assert preview.fields_filled == {
        "headline": "Countess of Lovelace",
        "pronouns": "she/her",
        "birthday": "12-10",
        "introduced by": "Charles Babbage",
        "connected on": "2024-06-01",
        "how we met": "At a salon",
        "what matters": "Poetical science",
    }
    interactions_before = Interaction.objects.filter(participants=ada).count()
    follow_ups_before = FollowUp.objects.filter(people=ada).count()
    points_before = ada.contact_points.count()

    kept = merge_people(network, owner, ada, augusta)
    assert kept.notes == preview.notes
    assert (
        Interaction.objects.filter(participants=kept).count()
        == interactions_before + preview.interactions_moved
    )
    assert (
        FollowUp.objects.filter(people=kept).count() == follow_ups_before + preview.follow_ups_moved
    )
    assert kept.contact_points.count() == points_before + len(preview.contact_points_added)


def test_an_affiliation_recorded_twice_is_kept_once_with_its_blanks_filled(network, owner):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    twin = make_person(network, "Ada Lovelace", organization="Analytical Engines", title="CTO")
    preview = preview_merge(network, owner, ada, twin)
    assert preview.affiliations_added == [] and len(preview.affiliations_combined) == 1
    kept = merge_people(network, owner, ada, twin)
    assert [str(a) for a in kept.affiliations.all()] == ["CTO at Analytical Engines"]


@pytest.mark.parametrize(
    ("who", "error"),
    [("owner", None), ("teammate", None), ("viewer", Forbidden), ("outsider", NotFound)],
)
def test_who_may_merge(request, network, who, error):
    user = request.getfixturevalue(who)
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    twin = make_person(network, "Ada L.", emails=["ada@example.org"])
    if error is None:
        merge_people(network, user, ada, twin)
        assert not Person.objects.filter(pk=twin.pk).exists()
        return
    with pytest.raises(error):
        merge_people(network, user, ada, twin)
    with pytest.raises(error):
        dismiss_duplicate(network, user, ada, twin)
    assert Person.objects.filter(pk=twin.pk).exists()
    assert not DismissedDuplicate.objects.exists()


def test_a_viewer_may_preview_and_an_outsider_may_not(network, viewer, outsider):
    ada = make_person(network, "Ada Lovelace")
    twin = make_person(network, "Ada Lovelace")
    assert preview_merge(network, viewer, ada, twin).other == twin
    with pytest.raises(NotFound):
        preview_merge(network, outsider, ada, twin)


def test_people_of_two_networks_cannot_be_merged(network, owner, outsider):
    ada = make_person(network, "Ada Lovelace")
    theirs = make_person(network_of(outsider), "Ada Lovelace")
    for keep, other in ((ada, theirs), (theirs, ada)):
        with pytest.raises(NotFound):
            merge_people(network, owner, keep, other)
        with pytest.raises(NotFound):
            preview_merge(network, owner, keep, other)
        with pytest.raises(NotFound):
            dismiss_duplicate(network, owner, keep, other)
    assert Person.objects.filter(pk__in=[ada.pk, theirs.pk]).count() == 2


def test_someone_may_be_merged_into_me_but_not_me_into_someone(network, owner):
    me = Person.objects.get(network=network, is_self=True)
    olive = make_person(network, "Olive Owner", emails=["olive@example.org"], tags=["me"])
    with pytest.raises(InvalidInput, match="merge them into you"):
        merge_people(network, owner, olive, me)
    with pytest.raises(InvalidInput, match="one person already"):
        merge_people(network, owner, olive, olive)
    kept = merge_people(network, owner, me, olive)
    assert kept.is_self and list(kept.tags.values_list("name", flat=True)) == ["me"]
    assert not Person.objects.filter(pk=olive.pk).exists()


def test_a_dismissed_pair_stays_dismissed_and_merged_pairs_drop_out(network, owner):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    twin = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    other_ada = make_person(network, "Ada Lovelace")
    dismiss_duplicate(network, owner, twin, other_ada)
    assert len(find_duplicates(network)) == 2
    merge_people(network, owner, ada, twin)
    # Twin was not other_ada, so neither is the merged Ada: nothing left to suggest.
    assert find_duplicates(network) == []
    assert DismissedDuplicate.objects.get().person_b_id == other_ada.pk


def test_every_link_to_a_person_is_one_the_merge_moves():
    links = {
        str(relation.field)
        for relation in Person._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
        and not relation.related_model._meta.auto_created  # tags' and follow-ups' tables
    }
    assert links == MERGED_RELATIONS, "teach services.merge about the new link"


@pytest.fixture
def kith(owner):
    """Run `kith ARGS...` as the owner; ``input`` is what is typed at a prompt."""
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(
        app, list(args), input=input, catch_exceptions=False
    )


def test_kith_merge_without_yes_and_without_a_terminal_only_previews(kith, ada, augusta):
    result = kith("merge", "Ada Lovelace", "augusta@example.org")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(f"Merge Augusta Ada King (p{augusta.pk}) into Ada Lovelace (p{ada.pk})")
    for line in (
        "contact points",
        "augusta@example.org (1 already there)",
        "tags\tpoetry",
        "affiliations\tFellow at Royal Society",
        "1 moved, 1 with both",
        "headline\tCountess of Lovelace",
        f"Augusta Ada King (p{augusta.pk}) is then deleted.",
        "Nothing changed. Run again with --yes to merge.",
    ):
        assert line in out, line
    assert Person.objects.filter(pk=augusta.pk).exists()


def test_kith_merge_asks_at_a_terminal(kith, ada, augusta, monkeypatch):
    monkeypatch.setattr("kithkin.cli.context.can_ask", lambda: True)
    result = kith("merge", "Ada Lovelace", f"#{augusta.pk}", input="n\n")
    assert "Merge Augusta Ada King into Ada Lovelace? [y/N]" in result.stdout
    assert result.stdout.endswith("Nothing changed.\n")
    assert Person.objects.filter(pk=augusta.pk).exists()
    result = kith("merge", "Ada Lovelace", f"#{augusta.pk}", input="y\n")
    assert result.stdout.endswith(f"Merged Augusta Ada King into Ada Lovelace (p{ada.pk}).\n")
    assert not Person.objects.filter(pk=augusta.pk).exists()


def test_kith_merge_yes_json(kith, ada, augusta):
    preview = json.loads(kith("merge", f"#{ada.pk}", "Augusta", "--json").stdout)
    assert preview["merged"] is False and preview["person"] is None
    result = kith("merge", f"#{ada.pk}", "Augusta", "--yes", "--json")
    data = json.loads(result.stdout)
    assert data["merged"] is True
    assert data["person"] == {"id": ada.pk, "name": "Ada Lovelace"}
    assert data["preview"] == preview["preview"]
    assert set(data["preview"]) == {
        "keep", "other", "contact_points_added", "contact_points_already_there", "tags_added",
        "affiliations_added", "affiliations_combined", "interactions_moved",
        "interactions_shared", "follow_ups_moved", "relationships_moved",
        "relationships_dropped", "introductions_moved", "fields_filled", "notes",
    }  # fmt: skip
    assert data["preview"]["tags_added"] == ["poetry"]
    added = {(p["kind"], p["value"]): p for p in data["preview"]["contact_points_added"]}
    assert added["email", "augusta@example.org"]["verified"] is None  # shaped as on the card
    assert not Person.objects.filter(pk=augusta.pk).exists()


def test_kith_merge_errors_are_one_line(kith, network, ada):
    make_person(network, "Grace Hopper")
    make_person(network, "Grace Hopper")
    result = kith("merge", "Ada", "me", "--yes")
    assert result.exit_code == 2 and "merge them into you instead" in result.stderr
    result = kith("merge", "me", "Ada", "--yes")
    assert result.exit_code == 0  # Ada merged into me
    result = kith("merge", "Grace Hopper", "me", "--yes")
    assert result.exit_code == 1  # two Grace Hoppers: which one?
    assert "matches 2 people" in result.stderr
    result = kith("merge", "#999999", "me", "--yes")
    assert (result.exit_code, result.stderr.count("\n")) == (1, 1)
    grace = Person.objects.filter(full_name="Grace Hopper").first()
    result = kith("merge", "me", f"#{grace.pk}", "--yes")
    assert result.exit_code == 0
    result = kith("merge", f"#{grace.pk}", "me", "--yes")
    assert result.exit_code == 1  # merged into me: gone
