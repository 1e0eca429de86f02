"""Milestones, birthdays and work anniversaries: the occasion math, the agenda's Celebrate
and Offer help sections, and celebrating. The commands are in test_milestone_cli.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from typer.testing import CliRunner

from kithkin import clock
from kithkin.cli.app import app
from kithkin.errors import Forbidden, InvalidInput
from kithkin.models import Interaction, Milestone, Network
from kithkin.queries import milestones as queries
from kithkin.queries import occasion_dates, occasions
from kithkin.queries.agenda import agenda
from kithkin.services import milestones as services
from kithkin.services.people import archive_person
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.factories_milestones import born, make_job, make_milestone, with_birthday

pytestmark = pytest.mark.django_db

D = dt.date


def celebrate_rows(network, today=TODAY) -> list[tuple[str, str]]:
    return [(i.title, i.reason) for i in queries.celebrations(network, today).items]


def support_rows(network, today=TODAY) -> list[tuple[str, str]]:
    return [(i.title, i.reason) for i in queries.support_needed(network, today).items]


# -- occasion math ----------------------------------------------------------------------


def test_29_february_falls_on_the_28th_in_other_years():
    assert occasion_dates.occurrence_in(2027, 2, 29) == D(2027, 2, 28)
    assert occasion_dates.occurrence_in(2028, 2, 29) == D(2028, 2, 29)
    assert occasion_dates.next_occurrence(2, 29, D(2027, 3, 1)) == D(2028, 2, 29)
    assert occasion_dates.next_occurrence(2, 29, D(2026, 3, 1)) == D(2027, 2, 28)


def test_windows_cross_the_end_of_the_year():
    assert occasion_dates.occurrence_between(1, 3, D(2026, 12, 28), D(2027, 1, 10)) == D(2027, 1, 3)
    assert occasion_dates.occurrence_between(12, 30, D(2026, 12, 28), D(2027, 1, 10)) == D(
        2026, 12, 30
    )
    assert occasion_dates.occurrence_between(1, 11, D(2026, 12, 28), D(2027, 1, 10)) is None


def test_the_month_day_filter_reads_29_february_on_a_28th_without_one(network):
    born(network, "Leap Baby", 2, 29)
    born(network, "Twenty Eighth", 2, 28)
    non_leap = occasions.birthdays_between(network, D(2027, 2, 28), D(2027, 2, 28))
    assert sorted(o.person.name for o in non_leap) == ["Leap Baby", "Twenty Eighth"]
    leap = occasions.birthdays_between(network, D(2028, 2, 28), D(2028, 2, 28))
    assert [o.person.name for o in leap] == ["Twenty Eighth"]
    assert occasions.birthdays_between(network, D(2028, 2, 29), D(2028, 3, 1))[0].on == D(
        2028, 2, 29
    )


def test_nearest_occurrence_looks_both_ways():
    assert occasion_dates.nearest_occurrence(12, 30, D(2027, 1, 2)) == D(2026, 12, 30)
    assert occasion_dates.nearest_occurrence(1, 5, D(2026, 12, 30)) == D(2027, 1, 5)


# -- the Celebrate section -----------------------------------------------------------------


def test_birthdays_anniversaries_and_milestones_soonest_first_with_their_reasons(network):
    ada = born(network, "Ada Lovelace", 2, 21, year=1986)
    charles = make_person(network, "Charles Babbage")
    make_job(network, charles, "Babbage & Co", start_on=D(2023, 3, 2))
    grace = make_person(network, "Grace Hopper")
    make_milestone(network, grace, "promotion", on=TODAY, title="VP Engineering")
    section = queries.celebrations(network, TODAY)
    assert section.key == "celebrate" and section.title == "Celebrate"
    assert [(i.title, i.reason, i.on, i.draft_kind) for i in section.items] == [
        (
            "Congratulate Grace Hopper on their promotion",
            "promotion on 20 February: VP Engineering",
            TODAY,
            "congratulations",
        ),
        (
            "Wish Ada Lovelace a happy birthday",
            "birthday tomorrow (turns 40)",
            D(2026, 2, 21),
            "congratulations",
        ),
        (
            "Congratulate Charles Babbage on 3 years at Babbage & Co",
            "3 years at Babbage & Co on 2 March",
            D(2026, 3, 2),
            "congratulations",
        ),
    ]
    assert section.items[1].people[0].id == ada.pk
    assert section.items[0].record_id == Milestone.objects.get().pk
    assert section.items[1].occasion == "birthday:2026"  # type: ignore[attr-defined]


def test_a_birthday_without_a_year_and_today(network):
    born(network, "Ada Lovelace", 2, 20)
    assert celebrate_rows(network) == [("Wish Ada Lovelace a happy birthday", "birthday today")]


def test_window_edges(network):
    born(network, "Last Day", 3, 6)  # today + 14
    born(network, "Too Far", 3, 7)  # today + 15
    born(network, "Yesterday", 2, 19)
    person = make_person(network, "Grace Hopper")
    make_milestone(network, person, "launch", on=D(2026, 2, 13), title="A week ago")
    make_milestone(network, person, "launch", on=D(2026, 2, 12), title="Eight days ago")
    make_milestone(network, person, "award", on=D(2026, 3, 6), title="In 14 days")
    make_milestone(network, person, "award", on=D(2026, 3, 7), title="In 15 days")
    assert [reason for _, reason in celebrate_rows(network)] == [
        "launch on 13 February: A week ago",
        "award on 6 March: In 14 days",
        "birthday on 6 March",
    ]


def test_the_window_is_the_networks_and_can_be_changed(network, owner):
    born(network, "Three Weeks", 3, 13)  # today + 21
    assert celebrate_rows(network) == []
    services.set_celebrate_window(network, owner, 21)
    network.refresh_from_db()
    assert network.celebrate_within_days == 21
    assert celebrate_rows(network) == [
        ("Wish Three Weeks a happy birthday", "birthday on 13 March")
    ]
    section = queries.celebrations(network, TODAY)
    assert "next 21 days" in section.note


@pytest.mark.parametrize("days", [0, 366, -1])
def test_the_window_must_be_sensible(network, owner, days):
    with pytest.raises(InvalidInput, match="window"):
        services.set_celebrate_window(network, owner, days)


def test_a_viewer_may_not_change_the_window(network, viewer):
    with pytest.raises(Forbidden):
        services.set_celebrate_window(network, viewer, 21)


def test_work_anniversaries_count_whole_years_of_current_jobs_only(network):
    ada = make_person(network, "Ada Lovelace")
    make_job(network, ada, "One Year Ltd", start_on=D(2025, 2, 25))
    make_job(network, ada, "Started This Year", start_on=D(2026, 2, 25))
    make_job(network, ada, "Left Already", start_on=D(2020, 2, 25), end_on=D(2024, 1, 1))
    from kithkin.services.affiliations import add_affiliation
    from tests.factories import owner_of

    add_affiliation(
        network,
        owner_of(network),
        ada,
        organization="A School",
        kind="education",
        start_on=D(2010, 2, 25),
    )
    assert celebrate_rows(network) == [
        (
            "Congratulate Ada Lovelace on 1 year at One Year Ltd",
            "1 year at One Year Ltd on 25 February",
        )
    ]


def test_archived_people_and_me_are_left_out(network, owner):
    ada = born(network, "Ada Lovelace", 2, 22)
    archive_person(network, owner, ada)
    from kithkin.models import Person

    me = Person.objects.get(network=network, is_self=True)
    with_birthday(network, me, 2, 22)
    make_milestone(network, me, "promotion", on=TODAY)
    assert celebrate_rows(network) == []


def test_yearly_milestones_come_back_with_their_years(network):
    ada = make_person(network, "Ada Lovelace")
    make_milestone(network, ada, "custom", on=(2016, 2, 25), yearly=True, title="Founded Engines")
    make_milestone(network, ada, "launch", on=(None, 2, 26), yearly=True, title="Launch day")
    assert celebrate_rows(network) == [
        (
            "Congratulate Ada Lovelace: Founded Engines",
            "milestone on 25 February: Founded Engines (10 years)",
        ),
        ("Congratulate Ada Lovelace on their launch", "launch on 26 February: Launch day"),
    ]


def test_a_birthday_milestone_is_yearly_and_turns_n(network):
    ada = make_person(network, "Ada Lovelace")
    milestone = make_milestone(network, ada, "birthday", on=(1990, 2, 21))
    assert milestone.recurs_yearly
    assert celebrate_rows(network) == [
        ("Wish Ada Lovelace a happy birthday", "birthday tomorrow (turns 36)")
    ]


def test_the_section_shows_ten_and_counts_all(network):
    for i in range(12):
        born(network, f"Person {i:02d}", 2, 21 + i % 5)
    section = queries.celebrations(network, TODAY)
    assert len(section.items) == 10 and section.total == 12


# -- 29 February, the year end, time zones ----------------------------------------------------


def test_a_29_february_birthday_across_a_leap_and_a_non_leap_year(network, owner):
    leap = born(network, "Leap Baby", 2, 29, year=2000)
    non_leap_day = D(2027, 2, 28)
    assert celebrate_rows(network, D(2027, 2, 27)) == [
        ("Wish Leap Baby a happy birthday", "birthday tomorrow (turns 27)")
    ]
    item = queries.celebrations(network, non_leap_day).items[0]
    assert item.reason == "birthday today (turns 27)"
    assert "celebrated on 28 February in other years" in item.detail
    assert item.occasion == "birthday:2027"  # type: ignore[attr-defined]
    services.celebrate_person(network, owner, leap, today=non_leap_day)
    assert celebrate_rows(network, non_leap_day) == []
    assert celebrate_rows(network, D(2027, 3, 1)) == []
    # In a leap year it is on the 29th, not the 28th, and celebrated afresh.
    assert celebrate_rows(network, D(2028, 2, 28)) == [
        ("Wish Leap Baby a happy birthday", "birthday tomorrow (turns 28)")
    ]
    assert queries.celebrations(network, D(2028, 2, 28)).items[0].detail == ""


def test_a_window_across_new_year(network, owner):
    ada = born(network, "Ada Lovelace", 1, 3, year=1980)
    make_job(network, ada, "Babbage & Co", start_on=D(2020, 1, 5))
    december = make_milestone(network, ada, "launch", on=(None, 12, 30), yearly=True)
    make_milestone(network, ada, "award", on=(None, 1, 12), yearly=True)  # 15 days: out
    today = D(2026, 12, 28)
    section = queries.celebrations(network, today)
    assert [(i.reason, i.on, i.occasion) for i in section.items] == [  # type: ignore[attr-defined]
        ("launch on 30 December", D(2026, 12, 30), f"milestone:{december.pk}:2026"),
        ("birthday on 3 January (turns 47)", D(2027, 1, 3), "birthday:2027"),
        (
            "7 years at Babbage & Co on 5 January",
            D(2027, 1, 5),
            f"anniversary:{ada.affiliations.get().pk}:2027",
        ),
    ]
    services.celebrate_occasion(network, owner, ada, "birthday:2027", today=today)
    assert [i.reason for i in queries.celebrations(network, today).items] == [
        "launch on 30 December",
        "7 years at Babbage & Co on 5 January",
    ]


def test_today_is_the_networks_local_date(network, owner):
    """At 11:30 UTC on 20 February it is already the 21st in Auckland."""
    Network.objects.filter(pk=network.pk).update(time_zone="Pacific/Auckland")
    born(network, "Kiri Te Kanawa", 2, 21, year=1944)
    with time_machine.travel(dt.datetime(2026, 2, 20, 11, 30, tzinfo=dt.UTC), tick=False):
        network.refresh_from_db()
        local = clock.today_in(network.time_zone)
        assert local == D(2026, 2, 21) and clock.now().date() == D(2026, 2, 20)
        result = CliRunner().invoke(app, ["milestone", "list", "--upcoming", "0d", "--json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert [(r["on"], r["reason"]) for r in rows] == [
            ("2026-02-21", "birthday today (turns 82)")
        ]
        interaction, _ = services.celebrate_person(
            network, owner, network.people.get(full_name="Kiri Te Kanawa"), today=local
        )
        assert interaction.occasion == "birthday:2026"


# -- celebrating -------------------------------------------------------------------------------


def test_celebrating_a_birthday_hides_it_for_this_year_only(network, owner):
    ada = born(network, "Ada Lovelace", 2, 21, year=1986)
    interaction, _ = services.celebrate_person(network, owner, ada, today=TODAY)
    assert (interaction.occasion, interaction.milestone, interaction.kind) == (
        "birthday:2026",
        None,
        "message",
    )
    assert list(interaction.participants.all()) == [ada]
    assert interaction.summary == "Wished a happy birthday (turned 40)"
    ada.refresh_from_db()
    assert ada.last_interaction_at == interaction.occurred_at  # check-in reset
    assert celebrate_rows(network) == []
    assert celebrate_rows(network, D(2027, 2, 20)) == [
        ("Wish Ada Lovelace a happy birthday", "birthday tomorrow (turns 41)")
    ]


def test_an_ordinary_interaction_does_not_count_as_celebrating(network):
    ada = born(network, "Ada Lovelace", 2, 21)
    log(network, ada, on=TODAY, summary="chat")
    assert len(celebrate_rows(network)) == 1


def test_celebrating_someone_elses_birthday_key_does_not_hide_mine(network, owner):
    ada = born(network, "Ada Lovelace", 2, 21)
    grace = born(network, "Grace Hopper", 2, 22)
    services.celebrate_person(network, owner, ada, today=TODAY)
    assert [t for t, _ in celebrate_rows(network)] == ["Wish Grace Hopper a happy birthday"]
    assert grace


def test_celebrating_a_once_only_milestone_links_the_interaction(network, owner):
    ada = make_person(network, "Ada Lovelace")
    promotion = make_milestone(network, ada, "promotion", on=D(2026, 2, 17), title="VP")
    interaction = services.celebrate_milestone(
        network, owner, promotion, today=TODAY, note="Sent a card", kind="email"
    )
    assert (interaction.milestone, interaction.occasion, interaction.summary, interaction.kind) == (
        promotion,
        "",
        "Sent a card",
        "email",
    )
    assert celebrate_rows(network) == []
    with pytest.raises(InvalidInput, match="already celebrated"):
        services.celebrate_milestone(network, owner, promotion, today=TODAY)


def test_a_yearly_milestone_is_celebrated_for_this_year(network, owner):
    ada = make_person(network, "Ada Lovelace")
    founded = make_milestone(network, ada, "custom", on=(2016, 2, 25), yearly=True, title="Founded")
    interaction = services.celebrate_milestone(network, owner, founded, today=TODAY)
    assert interaction.occasion == f"milestone:{founded.pk}:2026"
    assert interaction.summary == "Congratulations on Founded"
    assert celebrate_rows(network) == []
    assert len(celebrate_rows(network, D(2027, 2, 20))) == 1


def test_an_anniversary_by_its_occasion_key(network, owner):
    ada = make_person(network, "Ada Lovelace")
    job = make_job(network, ada, "Babbage & Co", start_on=D(2023, 3, 2))
    interaction = services.celebrate_occasion(
        network, owner, ada, f"anniversary:{job.pk}:2026", today=TODAY
    )
    assert interaction.summary == "Congratulations on 3 years at Babbage & Co"
    assert celebrate_rows(network) == []
    with pytest.raises(InvalidInput, match="already celebrated"):
        services.celebrate_occasion(network, owner, ada, f"anniversary:{job.pk}:2026", today=TODAY)


@pytest.mark.parametrize(
    "key",
    [
        "birthday:2026",
        "birthday:2020",
        "anniversary:{other_job}:2026",
        "milestone:999:2026",
        "cake",
    ],
)
def test_occasion_keys_must_be_the_persons(network, owner, key):
    ada = make_person(network, "Ada Lovelace")  # no birthday on record
    grace = make_person(network, "Grace Hopper")
    other_job = make_job(network, grace, start_on=D(2020, 3, 2))
    with pytest.raises(InvalidInput, match="occasion"):
        services.celebrate_occasion(
            network, owner, ada, key.format(other_job=other_job.pk), today=TODAY
        )
    assert not Interaction.objects.exists()


def test_celebrate_person_picks_the_nearest_open_occasion(network, owner):
    ada = born(network, "Ada Lovelace", 3, 2)
    make_milestone(network, ada, "promotion", on=D(2026, 2, 18), title="VP")
    _, occasion = services.celebrate_person(network, owner, ada, today=TODAY)
    assert occasion.label == "promotion"
    _, occasion = services.celebrate_person(network, owner, ada, today=TODAY)
    assert occasion.is_birthday
    with pytest.raises(InvalidInput, match=r"nothing to celebrate now$"):
        services.celebrate_person(network, owner, ada, today=TODAY)
    grace = born(network, "Grace Hopper", 6, 1)
    with pytest.raises(InvalidInput, match=r"nothing to celebrate now; next: birthday on 1 June$"):
        services.celebrate_person(network, owner, grace, today=TODAY)


def test_celebrate_person_with_nothing_on_record(network, owner):
    ada = make_person(network, "Ada Lovelace")
    with pytest.raises(InvalidInput, match=r"^person: Ada Lovelace has nothing to celebrate now$"):
        services.celebrate_person(network, owner, ada, today=TODAY)


# -- the Offer help section -----------------------------------------------------------------


def test_challenges_show_for_30_days_from_their_date(network, owner):
    ada = make_person(network, "Ada Lovelace")
    loss = make_milestone(network, ada, "job-loss", on=D(2026, 2, 10))
    make_milestone(network, ada, "illness", on=D(2026, 1, 22))  # 29 days ago: still shown
    make_milestone(network, ada, "move", on=D(2026, 1, 21))  # 30 days ago: gone
    make_milestone(network, ada, "loss", on=D(2026, 2, 25))  # not yet
    section = queries.support_needed(network, TODAY)
    assert (section.key, section.title) == ("support", "Offer help")
    assert [(i.title, i.reason, i.draft_kind) for i in section.items] == [
        ("Offer help to Ada Lovelace", "job loss on 10 February", "offer-help"),
        ("Offer help to Ada Lovelace", "illness on 22 January", "offer-help"),
    ]
    assert celebrate_rows(network) == []  # challenges are not celebrated
    interaction = services.celebrate_milestone(network, owner, loss, today=TODAY)
    assert interaction.milestone == loss and interaction.summary == "Offered help: job loss"
    assert [r for _, r in support_rows(network)] == ["illness on 22 January"]
    # Helping again is fine: hard times take more than one message.
    services.celebrate_milestone(network, owner, loss, today=TODAY)


def test_the_agenda_has_both_sections(network):
    ada = born(network, "Ada Lovelace", 2, 21)
    make_milestone(network, ada, "job-loss", on=D(2026, 2, 10))
    keys = {s.key: len(s.items) for s in agenda(network, TODAY).sections}
    assert keys["celebrate"] == 1 and keys["support"] == 1


def test_the_sections_cost_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    def grow(start: int, count: int) -> None:
        for i in range(start, start + count):
            person = born(network, f"Person {i}", 2, 21 + i % 7)
            make_job(network, person, f"Org {i % 3}", start_on=D(2020, 2, 22 + i % 5))
            make_milestone(network, person, "promotion", on=D(2026, 2, 18))
            make_milestone(network, person, "job-loss", on=D(2026, 2, 10))
            make_milestone(network, person, "launch", on=(None, 2, 24), yearly=True)

    # Birthdays and anniversaries counted and their first rows read (4), what was
    # celebrated this year (1), the milestones and which were celebrated (3): none grows.
    celebrate_queries = 8
    grow(0, 2)
    with django_assert_max_num_queries(celebrate_queries):
        queries.celebrations(network, TODAY)
    with django_assert_max_num_queries(2):
        queries.support_needed(network, TODAY)
    grow(2, 20)
    with django_assert_max_num_queries(celebrate_queries):
        assert queries.celebrations(network, TODAY).total == 22 * 4
    with django_assert_max_num_queries(2):
        assert queries.support_needed(network, TODAY).total == 22


# -- adding and removing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "on", "yearly", "title", "message"),
    [
        ("promotion", (None, 3, 14), False, "", "on: a date without a year needs --yearly"),
        ("promotion", (2026, 2, 30), False, "", "on: 2026-02-30 is not a date"),
        ("promotion", (None, 2, 30), True, "", "on: --02-30 is not a date"),
        ("promotion", (1066, 10, 14), False, "", "on: the year must be between"),
        ("job-loss", (2026, 2, 10), True, "", "yearly: a challenge"),
        ("custom", (2026, 2, 10), False, "", "title: a custom milestone needs a title"),
        ("party", (2026, 2, 10), False, "", "kind: 'party' is not one of"),
    ],
)
def test_invalid_milestones_are_refused(network, kind, on, yearly, title, message):
    ada = make_person(network, "Ada Lovelace")
    with pytest.raises(InvalidInput) as error:
        make_milestone(network, ada, kind, on=on, yearly=yearly, title=title)
    assert str(error.value).startswith(message)
    assert not Milestone.objects.exists()


def test_kinds_as_typed_and_a_yearless_birthday(network):
    ada = make_person(network, "Ada Lovelace")
    assert make_milestone(network, ada, "New Job", on=TODAY).kind == "new-job"
    assert make_milestone(network, ada, "bereavement", on=TODAY).kind == "loss"
    birthday = make_milestone(network, ada, "birthday", on=(None, 3, 14))
    assert (birthday.year, birthday.recurs_yearly) == (None, True)


def test_a_birthday_on_the_profile_is_not_recorded_twice(network):
    ada = born(network, "Ada Lovelace", 3, 14)
    with pytest.raises(InvalidInput, match="already on record \\(14 March\\)"):
        make_milestone(network, ada, "birthday", on=(None, 3, 14))


def test_viewers_may_not_add_or_celebrate(network, viewer):
    ada = born(network, "Ada Lovelace", 2, 21)
    with pytest.raises(Forbidden):
        make_milestone(network, ada, on=TODAY, by=viewer)
    with pytest.raises(Forbidden):
        services.celebrate_person(network, viewer, ada, today=TODAY)


def test_a_person_of_another_network_is_refused(network, outsider):
    from kithkin.errors import NotFound
    from tests.factories import network_of

    stranger = make_person(network_of(outsider), "Stranger", by=outsider)
    with pytest.raises(NotFound):
        make_milestone(network, stranger, on=TODAY)


def test_removing_a_milestone_keeps_the_interactions(network, owner):
    ada = make_person(network, "Ada Lovelace")
    promotion = make_milestone(network, ada, on=TODAY)
    interaction = services.celebrate_milestone(network, owner, promotion, today=TODAY)
    services.remove_milestone(network, owner, promotion)
    interaction.refresh_from_db()
    assert not Milestone.objects.exists() and interaction.milestone is None


def test_the_person_panel(network, owner):
    ada = born(network, "Ada Lovelace", 2, 21, year=1986)
    make_job(network, ada, "Babbage & Co", start_on=D(2023, 8, 1))
    make_milestone(network, ada, "promotion", on=D(2025, 6, 1), title="Old news")
    make_milestone(network, ada, "launch", on=D(2026, 2, 19), title="Engines 2")
    panel = queries.person_panel(network, ada, TODAY)
    assert panel is not None
    assert panel.next_birthday and occasions.reason(panel.next_birthday, TODAY) == (
        "birthday tomorrow (turns 40)"
    )
    assert [occasions.reason(o, TODAY) for o in panel.anniversaries] == [
        "3 years at Babbage & Co on 1 August"
    ]
    assert [(row.date, row.due) for row in panel.milestones] == [
        ("2026-02-19", True),
        ("2025-06-01", False),
    ]
    assert [o.label for o in panel.due] == ["launch", "birthday"]


def test_celebrate_finds_birthdays_and_anniversaries_through_their_indexes(network):
    """On a big network Celebrate reads the few birthdays and anniversaries of the next
    days by index, not every person and job. PostgreSQL plans by table sizes, so there
    sequential scans are turned off to check the indexes match the queries."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    ada = born(network, "Ada Lovelace", TODAY.month, TODAY.day, year=1986)
    make_job(network, ada, "Babbage & Co", start_on=TODAY.replace(year=TODAY.year - 3))
    with CaptureQueriesContext(connection) as captured:
        section = queries.celebrations(network, TODAY)
    assert [item.title for item in section.items] == [
        "Congratulate Ada Lovelace on 3 years at Babbage & Co",  # same day: by occasion
        "Wish Ada Lovelace a happy birthday",
    ]
    reads = {
        index: next(
            q["sql"] for q in captured.captured_queries if table in q["sql"].split("WHERE")[0]
        )
        for index, table in (
            ("person_birthday", '"birthday_year"'),
            ("affiliation_anniversary", '"kithkin_affiliation"'),
            ("interaction_occasion", '"occasion" AS "occasion"'),  # what was celebrated
        )
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        for index, sql in reads.items():
            cursor.execute(f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}")
            assert index in " ".join(str(row) for row in cursor.fetchall()), sql
