"""Editing, archiving and deleting people; their contact points and affiliations.

Every write: who may do it (owner, teammate, viewer, outsider), what a bad value says,
that a bad value changes nothing, and that derived state (due date, search) follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kithkin import access
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import (
    Affiliation,
    ContactPoint,
    FollowUp,
    Interaction,
    Network,
    Organization,
    Person,
    Relationship,
    Tag,
    User,
)
from kithkin.queries.search import search
from kithkin.services.affiliations import add_affiliation, end_affiliation
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.contact_points import add_contact_point, remove_contact_point
from kithkin.services.people import (
    PersonChanges,
    archive_person,
    delete_person,
    unarchive_person,
    update_person,
)
from kithkin.services.search_index import reindex_people
from tests.conftest import FROZEN_NOW, TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db

D = dt.date
LATER = FROZEN_NOW + dt.timedelta(hours=2)


@pytest.fixture
def ada(network):
    return make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        organization="Analytical Engines",
        title="CTO",
        circle="close",
        tags=["poetry"],
    )


def found(network, text):
    return [hit.person.full_name for hit in search(network, text).people]


def stored(person):
    """Everything the database holds about a person, to prove a write changed nothing."""
    row = Person.objects.filter(pk=person.pk).values().first()
    return (
        row,
        list(ContactPoint.objects.filter(person_id=person.pk).order_by("id").values()),
        list(Affiliation.objects.filter(person_id=person.pk).order_by("id").values()),
        sorted(Person.tags.through.objects.filter(person_id=person.pk).values_list("tag_id")),
        Tag.objects.count(),
        Organization.objects.count(),
    )


def derived_state_is_current(network):
    return refresh_check_ins(network) == 0 and reindex_people(network) == 0


# --- who may write ---------------------------------------------------------------------

WRITES: dict[str, Callable[[Network, User, Person], object]] = {
    "update_person": lambda n, u, p: update_person(n, u, p, PersonChanges(headline="Countess")),
    "archive_person": archive_person,
    "unarchive_person": unarchive_person,
    "delete_person": delete_person,
    "add_contact_point": lambda n, u, p: add_contact_point(
        n, u, p, kind="phone", value="+44 20 7946 0958"
    ),
    "remove_contact_point": lambda n, u, p: remove_contact_point(n, u, p.contact_points.get()),
    "add_affiliation": lambda n, u, p: add_affiliation(n, u, p, organization="Royal Society"),
    "end_affiliation": lambda n, u, p: end_affiliation(
        n, u, p.affiliations.get(), end_on=D(2026, 1, 31)
    ),
}


@pytest.fixture
def subject(network, owner, ada, request):
    """Ada, archived first when the write is to bring her back."""
    if request.node.callspec.params["write"] == "unarchive_person":
        archive_person(network, owner, ada)
        ada.refresh_from_db()
    return ada


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("who", ["owner", "teammate"])
def test_owners_and_editors_may_write(request, frozen_time, network, subject, write, who):
    user = request.getfixturevalue(who)
    before = stored(subject)
    frozen_time.move_to(LATER)
    WRITES[write](network, user, subject)
    assert stored(subject) != before
    assert derived_state_is_current(network)
    if write != "delete_person":
        assert Person.objects.get(pk=subject.pk).updated_at == LATER


@pytest.mark.parametrize("write", WRITES)
def test_a_viewer_may_not_write(network, subject, viewer, write):
    before = stored(subject)
    with pytest.raises(Forbidden):
        WRITES[write](network, viewer, subject)
    assert stored(subject) == before


@pytest.mark.parametrize("write", WRITES)
def test_an_outsider_gets_not_found(network, subject, outsider, write):
    before = stored(subject)
    with pytest.raises(NotFound):
        WRITES[write](network, outsider, subject)
    assert stored(subject) == before


@pytest.mark.parametrize("write", WRITES)
def test_an_outsider_cannot_reach_a_person_through_their_own_network(subject, outsider, write):
    """Even a network the outsider owns does not let them touch someone from another."""
    before = stored(subject)
    with pytest.raises(NotFound):
        WRITES[write](access.current_network(outsider), outsider, subject)
    assert stored(subject) == before


# --- update_person ---------------------------------------------------------------------


def test_update_person_changes_what_it_is_given(frozen_time, network, owner, ada):
    frozen_time.move_to(LATER)
    updated = update_person(
        network,
        owner,
        ada,
        PersonChanges(
            full_name="  Augusta   Ada King ",
            given_name="Augusta",
            family_name="King",
            nickname="Ada",
            pronouns="she/her",
            headline="Countess",
            location="London",
            time_zone="Europe/London",
            how_we_met="  Babbage's salon ",
            what_matters="Poetical science",
            circle="Regular",
            tags=["Mathematics", "#poetry", "mathematics"],
            birthday=(1990, 12, 10),
        ),
    )
    assert updated.full_name == "Augusta Ada King"
    assert (updated.given_name, updated.family_name, updated.nickname) == ("Augusta", "King", "Ada")
    assert (updated.pronouns, updated.headline, updated.location) == (
        "she/her",
        "Countess",
        "London",
    )
    assert (updated.time_zone, updated.how_we_met) == ("Europe/London", "Babbage's salon")
    assert updated.circle.name == "regular"
    assert updated.birthday == D(1990, 12, 10)
    assert sorted(updated.tags.values_list("name", flat=True)) == ["Mathematics", "poetry"]
    assert Tag.objects.filter(network=network).count() == 2  # "#poetry" is the old tag
    assert updated.updated_at == LATER
    # Derived state follows: due a regular cadence (90 days) after she was added, and found
    # under her new name only.
    assert updated.check_in_due_on == TODAY + dt.timedelta(days=90)
    assert found(network, "augusta") == ["Augusta Ada King"]
    assert found(network, "mathematics") == ["Augusta Ada King"]
    assert found(network, "lovelace") == []


def test_none_leaves_everything_as_it_is(network, owner, ada):
    before = stored(ada)[0]
    after = update_person(network, owner, ada, PersonChanges())
    row = Person.objects.filter(pk=after.pk).values().first()
    assert {k: v for k, v in row.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert list(after.tags.values_list("name", flat=True)) == ["poetry"]


def test_tags_must_be_a_list_not_one_string(network, owner, ada):
    with pytest.raises(TypeError):
        update_person(network, owner, ada, PersonChanges(tags="python, ml"))
    assert list(ada.tags.values_list("name", flat=True)) == ["poetry"]


def test_a_long_single_word_name_fits_the_given_name_column(network, owner):
    """Given and family names are derived from the full name and held to their columns."""
    name = "Wolfeschlegelsteinhausenbergerdorff" * 4  # 140 characters, no space
    person = make_person(network, name)
    assert (len(person.given_name), person.family_name) == (100, "")
    renamed = update_person(network, owner, person, PersonChanges(full_name=name + "x"))
    assert renamed.full_name == name + "x"
    assert len(renamed.given_name) == 100


def test_notes_are_stored_exactly_as_typed(network, owner, ada):
    notes = "    indented code\n\n* **bold** <script>alert(1)</script>\n"
    assert update_person(network, owner, ada, PersonChanges(notes=notes)).notes == notes
    assert found(network, "bold") == ["Ada Lovelace"]


def test_renaming_derives_given_and_family_names_again(network, owner, ada):
    renamed = update_person(network, owner, ada, PersonChanges(full_name="Ada King"))
    assert (renamed.given_name, renamed.family_name, renamed.first_name) == ("Ada", "King", "Ada")


def test_renaming_keeps_names_typed_by_hand(network, owner, ada):
    update_person(network, owner, ada, PersonChanges(given_name="Augusta"))
    renamed = update_person(network, owner, ada, PersonChanges(full_name="Ada King"))
    assert (renamed.given_name, renamed.family_name) == ("Augusta", "Lovelace")


def test_empty_values_clear_circle_time_zone_and_text(network, owner, ada):
    update_person(network, owner, ada, PersonChanges(time_zone="Europe/London"))
    cleared = update_person(
        network, owner, ada, PersonChanges(circle="", time_zone="", headline="", tags=[])
    )
    assert (cleared.circle, cleared.time_zone, cleared.headline) == (None, "", "")
    assert cleared.check_in_due_on is None  # no circle, no cadence: never due
    assert not cleared.tags.exists()
    assert Tag.objects.filter(name="poetry").exists()  # the tag itself stays


def test_cadence_overrides_the_circle_and_clearing_it_falls_back(network, owner, ada):
    weekly = update_person(network, owner, ada, PersonChanges(cadence_days=7))
    assert weekly.check_in_due_on == TODAY + dt.timedelta(days=7)
    back = update_person(network, owner, ada, PersonChanges(clear_cadence=True, cadence_days=9))
    assert back.cadence_days is None
    assert back.check_in_due_on == TODAY + dt.timedelta(days=30)  # "close" circle


@pytest.mark.parametrize(
    ("birthday", "expected"),
    [
        ((None, 2, 29), (None, 2, 29)),  # a leap-day birthday without its year
        ((2024, 2, 29), (2024, 2, 29)),
        ((1990, 12, 31), (1990, 12, 31)),
        ((2026, 2, 20), (2026, 2, 20)),  # born today
    ],
)
def test_birthdays_with_and_without_a_year(network, owner, ada, birthday, expected):
    updated = update_person(network, owner, ada, PersonChanges(birthday=birthday))
    assert (updated.birthday_year, updated.birthday_month, updated.birthday_day) == expected


def test_clearing_the_birthday(network, owner, ada):
    update_person(network, owner, ada, PersonChanges(birthday=(None, 12, 10)))
    cleared = update_person(
        network, owner, ada, PersonChanges(birthday=(1815, 12, 10), clear_birthday=True)
    )
    assert (cleared.birthday_year, cleared.birthday_month, cleared.birthday_day) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (PersonChanges(full_name="   "), "full_name", "must not be empty"),
        (PersonChanges(full_name="x" * 201), "full_name", "longer than 200"),
        (PersonChanges(given_name="x" * 101), "given_name", "longer than 100"),
        (PersonChanges(pronouns="x" * 41), "pronouns", "longer than 40"),
        (PersonChanges(headline="x" * 201), "headline", "longer than 200"),
        (PersonChanges(circle="bestie"), "circle", "'bestie' is not a circle"),
        (PersonChanges(time_zone="Mars/Olympus"), "time_zone", "not a time zone"),
        (PersonChanges(time_zone="../etc/passwd"), "time_zone", "not a time zone"),
        (PersonChanges(time_zone="Europe"), "time_zone", "not a time zone"),
        (PersonChanges(cadence_days=0), "cadence_days", "at least one day"),
        (PersonChanges(cadence_days=100_000), "cadence_days", "at most 3650 days"),
        (PersonChanges(birthday=(2025, 2, 29)), "birthday", "2025-02-29 is not a date"),
        (PersonChanges(birthday=(None, 13, 1)), "birthday", "--13-01 is not a date"),
        (PersonChanges(birthday=(None, 4, 31)), "birthday", "not a date"),
        (PersonChanges(birthday=(2026, 2, 21)), "birthday", "in the future"),
        (PersonChanges(birthday=(1990, 0, 10)), "birthday", "not a date"),
        (PersonChanges(birthday=(1066, 10, 14)), "birthday", "between 1900 and now"),
        (PersonChanges(tags=["ok", " # "]), "tags", "must not be empty"),
        (PersonChanges(tags=["x" * 61]), "tags", "longer than 60"),
    ],
)
def test_invalid_input_names_the_field_and_changes_nothing(
    network, owner, ada, changes, field, message
):
    # Valid changes alongside the bad one must not be half-applied either.
    changes.location = "London"
    if changes.circle is None:
        changes.circle = "regular"
    if changes.tags is None:
        changes.tags = ["brand-new-tag"]
    before = stored(ada)
    in_memory = (ada.full_name, ada.location, ada.circle_id, ada.time_zone, ada.updated_at)
    with pytest.raises(InvalidInput) as caught:
        update_person(network, owner, ada, changes)
    assert caught.value.field == field
    assert message in caught.value.message
    assert stored(ada) == before
    # The object handed in is untouched too: a form re-rendered from it shows the truth.
    assert (ada.full_name, ada.location, ada.circle_id, ada.time_zone, ada.updated_at) == in_memory


# --- archive and unarchive -------------------------------------------------------------


def test_archived_people_are_never_due_and_not_found(frozen_time, network, owner, ada):
    assert ada.check_in_due_on is not None
    frozen_time.move_to(LATER)
    archived = archive_person(network, owner, ada)
    assert archived.archived_at == LATER
    assert archived.check_in_due_on is None
    assert found(network, "ada") == []
    back = unarchive_person(network, owner, archived)
    assert back.archived_at is None
    assert back.check_in_due_on == TODAY + dt.timedelta(days=30)
    assert found(network, "ada") == ["Ada Lovelace"]


def test_archiving_twice_keeps_the_first_date(frozen_time, network, owner, ada):
    archive_person(network, owner, ada)
    frozen_time.move_to(LATER)
    assert archive_person(network, owner, ada).archived_at == FROZEN_NOW


def test_me_cannot_be_archived_or_deleted(network, owner):
    me = Person.objects.get(network=network, is_self=True)
    with pytest.raises(InvalidInput) as caught:
        archive_person(network, owner, me)
    assert caught.value.field == "person"
    with pytest.raises(InvalidInput) as caught:
        delete_person(network, owner, me)
    assert caught.value.field == "person"
    me.refresh_from_db()
    assert me.archived_at is None


# --- delete ----------------------------------------------------------------------------


def test_deleting_someone_keeps_what_others_shared_with_them(network, owner, ada):
    grace = make_person(network, "Grace Hopper", circle="close")
    protege = make_person(network, "Paula Protege", introduced_by=ada)
    alone = log(network, ada, on=D(2026, 2, 1), summary="Just us")
    shared = log(network, [ada, grace], on=D(2026, 2, 10), summary="The three of us")
    theirs = make_follow_up(network, ada, "Send Ada the paper", due_on=TODAY)
    both = make_follow_up(network, [ada, grace], "Thank them both", due_on=TODAY)
    Relationship.objects.create(network=network, from_person=ada, to_person=grace, kind="friend")

    delete_person(network, owner, ada)

    assert not Person.objects.filter(pk=ada.pk).exists()
    assert not Interaction.objects.filter(pk=alone.pk).exists()
    assert list(Interaction.objects.get(pk=shared.pk).participants.all()) == [grace]
    assert not FollowUp.objects.filter(pk=theirs.pk).exists()
    assert list(FollowUp.objects.get(pk=both.pk).people.all()) == [grace]
    protege.refresh_from_db()
    assert protege.introduced_by is None
    assert not Relationship.objects.exists()
    assert Organization.objects.filter(name="Analytical Engines").exists()
    grace.refresh_from_db()
    assert grace.check_in_due_on == D(2026, 3, 12)  # 30 days after the shared call
    assert derived_state_is_current(network)
    assert found(network, "ada") == []


# --- contact points --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "stored_as"),
    [
        ("email", " Ada.L@Example.ORG ", ("email", "", "Ada.L@example.org", "ada.l@example.org")),
        ("phone", "+44 (20) 7946-0959", ("phone", "", "+44 20 7946 0959", "+442079460959")),
        (
            "url",
            "https://uk.linkedin.com/in/Ada-L/",
            (
                "social",
                "linkedin",
                "https://www.linkedin.com/in/ada-l",
                "https://www.linkedin.com/in/ada-l",
            ),
        ),
        (
            "url",
            "analytical.example/about/",
            (
                "url",
                "website",
                "https://analytical.example/about/",
                "https://analytical.example/about",
            ),
        ),
    ],
)
def test_add_contact_point_normalises_like_add_person(network, owner, ada, kind, value, stored_as):
    point = add_contact_point(network, owner, ada, kind=kind, value=value, label=" work ")
    assert (point.kind, point.service, point.value, point.normalized) == stored_as
    assert point.label == "work"
    assert found(network, stored_as[3]) == ["Ada Lovelace"]


def test_the_first_of_each_kind_is_primary(network, owner, ada):
    second = add_contact_point(network, owner, ada, kind="email", value="ada@work.example")
    phone = add_contact_point(network, owner, ada, kind="phone", value="+44 20 7946 0958")
    assert (second.is_primary, phone.is_primary) == (False, True)
    assert ada.contact_points.get(normalized="ada@example.org").is_primary


@pytest.mark.parametrize(
    ("kind", "value", "label", "field", "message"),
    [
        ("email", "ADA@example.org", "", "email", "Ada Lovelace already has ADA@example.org"),
        ("email", "ada@", "", "email", "not a valid email address"),
        ("phone", "12345", "", "phone", "not a phone number"),
        ("url", "not a url", "", "url", "not a web address"),
        ("url", "https://example.org/" + "x" * 500, "", "url", "longer than 500"),
        ("fax", "+44 20 7946 0958", "", "kind", "'fax' is not one of: email, phone, url"),
        ("address", "1 Main St", "", "kind", "is not one of"),
        ("email", "ada@work.example", "x" * 41, "label", "longer than 40"),
    ],
)
def test_invalid_contact_points_name_the_field_and_add_nothing(
    network, owner, ada, kind, value, label, field, message
):
    before = stored(ada)
    with pytest.raises(InvalidInput) as caught:
        add_contact_point(network, owner, ada, kind=kind, value=value, label=label)
    assert caught.value.field == field
    assert message in caught.value.message
    assert stored(ada) == before


def test_removing_the_primary_promotes_the_next_of_its_kind(network, owner, ada):
    first = ada.contact_points.get()
    second = add_contact_point(network, owner, ada, kind="email", value="ada@work.example")
    third = add_contact_point(network, owner, ada, kind="email", value="ada@home.example")
    phone = add_contact_point(network, owner, ada, kind="phone", value="+44 20 7946 0958")
    remove_contact_point(network, owner, first)
    primaries = dict(ada.contact_points.values_list("pk", "is_primary"))
    assert primaries == {second.pk: True, third.pk: False, phone.pk: True}
    assert found(network, "ada@example.org") == []
    remove_contact_point(network, owner, third)  # not the primary: nothing else moves
    assert dict(ada.contact_points.values_list("pk", "is_primary")) == {
        second.pk: True,
        phone.pk: True,
    }


def test_removing_a_contact_point_twice_is_not_found(network, owner, ada):
    point = ada.contact_points.get()
    remove_contact_point(network, owner, point)
    with pytest.raises(NotFound):
        remove_contact_point(network, owner, point)


# --- affiliations ----------------------------------------------------------------------


def test_add_affiliation_creates_or_reuses_the_organization(network, owner, ada):
    society = add_affiliation(
        network,
        owner,
        ada,
        organization="  Royal   Society ",
        title=" Fellow ",
        kind="membership",
        start_on=D(2020, 1, 1),
    )
    assert (str(society), society.kind, society.start_on) == (
        "Fellow at Royal Society",
        "membership",
        D(2020, 1, 1),
    )
    grace = make_person(network, "Grace Hopper")
    again = add_affiliation(network, owner, grace, organization="royal society")
    assert again.organization == society.organization
    assert sorted(found(network, "royal")) == ["Ada Lovelace", "Grace Hopper"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"organization": "  "}, "organization", "must not be empty"),
        ({"organization": "x" * 201}, "organization", "longer than 200"),
        ({"title": "x" * 201}, "title", "longer than 200"),
        ({"kind": "hobby"}, "kind", "'hobby' is not one of: employment"),
        ({"start_on": D(2026, 1, 1), "end_on": D(2025, 1, 1)}, "end_on", "before it started"),
    ],
)
def test_invalid_affiliations_name_the_field_and_add_nothing(
    network, owner, ada, fields, field, message
):
    before = stored(ada)
    with pytest.raises(InvalidInput) as caught:
        add_affiliation(network, owner, ada, **{"organization": "Royal Society", **fields})
    assert caught.value.field == field
    assert message in caught.value.message
    assert stored(ada) == before


def test_ending_an_affiliation(network, owner, ada):
    job = add_affiliation(network, owner, ada, organization="Royal Society", start_on=D(2020, 1, 1))
    ended = end_affiliation(network, owner, job, end_on=D(2025, 6, 30))
    assert ended.end_on == D(2025, 6, 30)
    assert not ended.is_current
    with pytest.raises(InvalidInput) as caught:
        end_affiliation(network, owner, ended, end_on=D(2025, 7, 1))
    assert (caught.value.field, caught.value.message) == (
        "end_on",
        "it already ended on 2025-06-30",
    )


def test_an_affiliation_cannot_end_before_it_started(network, owner, ada):
    job = add_affiliation(network, owner, ada, organization="Royal Society", start_on=D(2020, 1, 1))
    with pytest.raises(InvalidInput) as caught:
        end_affiliation(network, owner, job, end_on=D(2019, 12, 31))
    assert caught.value.field == "end_on"
    job.refresh_from_db()
    assert job.end_on is None


# --- one door for the new records ------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "teammate", "viewer"])
def test_members_load_contact_points_and_affiliations(request, network, ada, who):
    user = request.getfixturevalue(who)
    point, job = ada.contact_points.get(), ada.affiliations.get()
    assert access.contact_point_for(user, network, point.pk) == point
    assert access.affiliation_for(user, network, job.pk) == job


def test_outsiders_cannot_load_contact_points_or_affiliations(network, ada, outsider):
    point, job = ada.contact_points.get(), ada.affiliations.get()
    for where in (network, access.current_network(outsider)):
        with pytest.raises(NotFound):
            access.contact_point_for(outsider, where, point.pk)
        with pytest.raises(NotFound):
            access.affiliation_for(outsider, where, job.pk)
