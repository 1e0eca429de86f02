"""The value ledger: give, got, intro, thank; balances; the network's lists; "Say thanks";
and the `kith` commands for them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from kithkin import clock
from kithkin.cli.app import app
from kithkin.errors import Forbidden, InvalidInput
from kithkin.models import Interaction, Network, ValueExchange
from kithkin.queries import ledger as ledger_queries
from kithkin.queries.agenda import agenda
from kithkin.services import ledger
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_ledger import gave, imported, me, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace", emails=["ada@example.org"])


@pytest.fixture
def grace(network):
    return make_person(network, "Grace Hopper")


def thanks(network, today=TODAY):
    return ledger_queries.thanks_due(network, today)


# Services -------------------------------------------------------------------------------


def test_give_records_value_from_me(network, owner, ada):
    exchange = ledger.give(
        network, owner, ada, "Advice", "Reviewed her conference talk", weight=4, today=TODAY
    )
    assert (exchange.giver, exchange.receiver) == (me(network), ada)
    assert (exchange.kind, exchange.description, exchange.weight) == (
        "advice",
        "Reviewed her conference talk",
        4,
    )
    assert exchange.occurred_on == TODAY and exchange.created_by == owner
    assert exchange.source == "manual" and exchange.thanked_at is None


def test_got_records_value_to_me_on_a_given_day(network, owner, ada):
    exchange = ledger.got(
        network, owner, ada, "referral", "Hiring manager", on=dt.date(2026, 2, 14), today=TODAY
    )
    assert (exchange.giver, exchange.receiver) == (ada, me(network))
    assert exchange.occurred_on == dt.date(2026, 2, 14) and exchange.weight == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "bribe"}, "kind"),
        ({"weight": 0}, "weight"),
        ({"weight": 6}, "weight"),
        ({"on": TODAY + dt.timedelta(days=1)}, "on"),
        ({"description": "x" * 1001}, "description"),
    ],
)
def test_bad_values_name_their_field(network, owner, ada, change, field):
    values = {"kind": "advice", "description": "ok", "weight": 2, "on": None} | change
    with pytest.raises(InvalidInput) as raised:
        ledger.give(
            network,
            owner,
            ada,
            values["kind"],
            values["description"],
            on=values["on"],
            weight=values["weight"],
            today=TODAY,
        )
    assert raised.value.field == field
    assert not ValueExchange.objects.exists()


def test_nobody_gives_to_themselves(network, owner):
    for record in (ledger.give, ledger.got):
        with pytest.raises(InvalidInput, match="that is you"):
            record(network, owner, me(network), "advice", today=TODAY)
    assert not ValueExchange.objects.exists()


def test_someone_of_another_network_cannot_be_recorded(network, owner, outsider):
    stranger = make_person(outsider.current_network, "Stranger")
    with pytest.raises(Exception, match="No person"):
        ledger.give(network, owner, stranger, "advice", today=TODAY)
    assert not ValueExchange.objects.exists()


def test_a_viewer_records_nothing(network, viewer, ada, grace):
    calls = [
        lambda: ledger.give(network, viewer, ada, "advice", today=TODAY),
        lambda: ledger.got(network, viewer, ada, "advice", today=TODAY),
        lambda: ledger.introduce(network, viewer, ada, grace, today=TODAY),
        lambda: ledger.set_thanks_window(network, viewer, 5),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    received(network, ada)
    with pytest.raises(Forbidden):
        ledger.thank(network, viewer, ada, today=TODAY)
    assert ValueExchange.objects.count() == 1 and not Interaction.objects.exists()


def test_an_editor_may_record(network, teammate, ada):
    assert ledger.give(network, teammate, ada, "help", today=TODAY).created_by == teammate


def test_an_introduction_is_one_exchange_per_person_and_one_message(network, owner, ada, grace):
    done = ledger.introduce(
        network, owner, ada, grace, note="both work on compilers", weight=3, today=TODAY
    )
    interaction = done.interaction
    assert interaction.kind == "message" and interaction.direction == "outbound"
    assert interaction.summary == "Introduced Ada Lovelace and Grace Hopper: both work on compilers"
    assert set(interaction.participants.all()) == {ada, grace}
    rows = ValueExchange.objects.order_by("pk")
    assert [(e.giver, e.receiver, e.introduced_to) for e in rows] == [
        (me(network), ada, grace),
        (me(network), grace, ada),
    ]
    assert all(
        e.kind == "introduction" and e.interaction == interaction and e.weight == 3 for e in rows
    )
    ada.refresh_from_db()
    assert ada.last_interaction_at is not None  # the message resets her check-in


def test_an_introduction_needs_two_people_other_than_me(network, owner, ada):
    with pytest.raises(InvalidInput) as raised:
        ledger.introduce(network, owner, ada, ada, today=TODAY)
    assert raised.value.field == "other"
    with pytest.raises(InvalidInput, match="that is you"):
        ledger.introduce(network, owner, ada, me(network), today=TODAY)
    assert not Interaction.objects.exists() and not ValueExchange.objects.exists()


def test_thank_logs_the_thank_you_and_marks_everything_unthanked(network, owner, ada, grace):
    first = received(network, ada, "referral", "Hiring manager", on=dt.date(2026, 2, 10))
    second = received(network, ada, "advice", "", on=dt.date(2026, 2, 12))
    gave(network, ada)  # what I gave her is not thanked by me
    from_grace = received(network, grace)
    done = ledger.thank(network, owner, ada, note="Sent a card", today=TODAY)
    assert done.interaction.summary == (
        "Thanked for: referral (Hiring manager); advice\n\nSent a card"
    )
    assert done.interaction.direction == "outbound" and done.interaction.kind == "message"
    assert list(done.interaction.participants.all()) == [ada]
    for exchange in (first, second):
        exchange.refresh_from_db()
        assert exchange.thanked_at == clock.now() and exchange.thanked_in == done.interaction
    from_grace.refresh_from_db()
    assert from_grace.thanked_at is None
    with pytest.raises(InvalidInput, match="nothing from Ada Lovelace is waiting"):
        ledger.thank(network, owner, ada, today=TODAY)


def test_the_thanks_window_is_a_setting(network, owner):
    ledger.set_thanks_window(network, owner, 5)
    assert Network.objects.get(pk=network.pk).thanks_within_days == 5
    with pytest.raises(InvalidInput) as raised:
        ledger.set_thanks_window(network, owner, 400)
    assert raised.value.field == "days"


def test_deleting_an_exchange(network, owner, ada, outsider):
    exchange = gave(network, ada)
    other_network = outsider.current_network
    with pytest.raises(Exception, match="No value exchange"):
        ledger.delete_exchange(other_network, outsider, exchange)
    ledger.delete_exchange(network, owner, exchange)
    assert not ValueExchange.objects.exists()


# Balances and lists -------------------------------------------------------------------------


def test_balance_is_weighted_received_minus_given(network, ada):
    gave(network, ada, weight=1, on=dt.date(2026, 1, 5))
    gave(network, ada, weight=3, on=dt.date(2026, 2, 1))
    received(network, ada, weight=5, on=dt.date(2026, 2, 3))
    b = ledger_queries.person_ledger(network, ada).balance
    assert (b.given, b.received, b.given_count, b.received_count) == (4, 5, 2, 1)
    assert (b.balance, b.words) == (1, "they have given more")
    assert b.last_given == dt.date(2026, 2, 1) and b.unthanked == 1
    gave(network, ada, weight=2)
    b = ledger_queries.person_ledger(network, ada).balance
    assert (b.balance, b.words) == (-1, "you have given more")


def test_an_empty_ledger_is_even(network, ada):
    result = ledger_queries.person_ledger(network, ada)
    assert (result.balance.balance, result.balance.words, result.exchanges) == (0, "even", [])
    assert ledger_queries.person_panel(network, me(network), TODAY) is None
    assert ledger_queries.person_panel(network, ada, TODAY) is not None


def test_who_helped_most_and_whom_to_give_back_to(network, ada, grace):
    alan = make_person(network, "Alan Turing")
    edsger = make_person(network, "Edsger Dijkstra")
    received(network, ada, weight=5, on=dt.date(2025, 12, 1))
    gave(network, ada, on=dt.date(2026, 1, 10))  # given back lately: not on the second list
    received(network, grace, weight=3, on=dt.date(2026, 1, 2))
    gave(network, grace, on=dt.date(2025, 6, 1))  # more than 180 days ago
    received(network, alan, weight=1, on=dt.date(2026, 2, 1))  # never given to
    received(network, edsger, weight=4, on=dt.date(2024, 12, 1))  # more than a year ago
    result = ledger_queries.network_ledger(network, TODAY)
    assert [(h.person.name, h.received) for h in result.helpers] == [
        ("Ada Lovelace", 5),
        ("Edsger Dijkstra", 4),
        ("Grace Hopper", 3),
        ("Alan Turing", 1),
    ]
    assert [(g.person.name, g.received, g.last_given) for g in result.give_back] == [
        ("Grace Hopper", 3, dt.date(2025, 6, 1)),
        ("Alan Turing", 1, None),
    ]
    assert (result.given, result.received, result.helpers_total, result.give_back_total) == (
        4,
        13,
        4,
        2,
    )


def test_network_lists_cost_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    people = [make_person(network, f"Person {n:02}") for n in range(25)]
    for number, person in enumerate(people):
        received(network, person, weight=1 + number % 5, on=TODAY - dt.timedelta(days=number))
        if number % 3:
            gave(network, person, on=TODAY - dt.timedelta(days=200 + number))
    with django_assert_max_num_queries(9):
        result = ledger_queries.network_ledger(network, TODAY)
    assert len(result.helpers) == 10 and result.helpers_total == 25
    assert len(result.give_back) == 10 and result.give_back_total == 25
    with django_assert_max_num_queries(3):
        section = thanks(network)
    assert len(section.items) == 10 and section.total == 22
    with django_assert_max_num_queries(3):
        ledger_queries.person_panel(network, people[0], TODAY)


# Say thanks on the agenda ------------------------------------------------------------------


def test_help_appears_once_the_window_has_passed(network, ada):
    received(network, ada, "referral", "Hiring manager at Babbage & Co", on=dt.date(2026, 2, 18))
    assert thanks(network).items == []  # two days ago, the window is three
    received(network, ada, "referral", "", on=dt.date(2026, 2, 17))
    (item,) = thanks(network).items
    assert item.title == "Thank Ada Lovelace"
    assert item.reason == "referral on 17 February, not thanked after 3 days"
    assert (item.record_id, item.draft_kind, item.key) == (ada.pk, "thank-you", f"thanks-{ada.pk}")
    assert item.people[0].name == "Ada Lovelace"
    assert item.on == dt.date(2026, 2, 17)


def test_one_item_per_giver_longest_waiting_first(network, ada, grace):
    received(network, ada, "advice", "Talk review", on=dt.date(2026, 2, 14))
    received(network, ada, "referral", "Hiring manager", on=dt.date(2026, 2, 10))
    received(network, grace, "gift", "A book", on=dt.date(2026, 2, 1))
    section = thanks(network)
    assert (section.key, section.title, section.total) == ("thanks", "Say thanks", 2)
    assert [(i.title, i.reason) for i in section.items] == [
        ("Thank Grace Hopper", "gift on 1 February, not thanked after 19 days"),
        ("Thank Ada Lovelace", "referral on 10 February and 1 more, not thanked after 10 days"),
    ]
    assert section.items[1].detail == "Hiring manager; Talk review"


def test_thanking_removes_the_item(network, owner, ada):
    received(network, ada, on=dt.date(2026, 2, 10))
    assert thanks(network).total == 1
    ledger.thank(network, owner, ada, today=TODAY)
    assert thanks(network).items == []


def test_a_wider_window_waits_longer(network, owner, ada):
    received(network, ada, on=dt.date(2026, 2, 16))
    assert thanks(network).total == 1
    ledger.set_thanks_window(network, owner, 5)
    assert thanks(network).total == 0


def test_what_i_gave_and_archived_givers_are_not_listed(network, owner, ada, grace):
    from kithkin.services.people import archive_person

    gave(network, ada, on=dt.date(2026, 2, 1))
    received(network, grace, on=dt.date(2026, 2, 1))
    archive_person(network, owner, grace)
    assert thanks(network).items == []


def test_old_linkedin_endorsements_are_not_nagged_about(network, ada, grace):
    imported(network, ada, on=dt.date(2025, 6, 1))
    assert thanks(network).items == []
    imported(network, grace, on=dt.date(2026, 2, 10), external_id="endorsement/2")
    assert [i.title for i in thanks(network).items] == ["Thank Grace Hopper"]


def test_the_day_is_the_networks_local_day(network, ada, frozen_time):
    received(network, ada, on=dt.date(2026, 2, 18))
    # 23:30 UTC on the 20th is already the 21st in Paris: three days have passed there.
    frozen_time.move_to(dt.datetime(2026, 2, 20, 23, 30, tzinfo=dt.UTC))
    today = clock.today_in(network.time_zone)
    assert today == dt.date(2026, 2, 21)
    assert [s.total for s in agenda(network, today).sections if s.key == "thanks"] == [1]
    frozen_time.move_to(dt.datetime(2026, 2, 20, 22, 30, tzinfo=dt.UTC))  # 23:30 in Paris
    today = clock.today_in(network.time_zone)
    assert [s.total for s in agenda(network, today).sections if s.key == "thanks"] == [0]


# The commands -------------------------------------------------------------------------------


def test_kith_give_got_and_ledger(kith, network, ada):
    result = kith("give", "Ada", "advice", "Reviewed her conference talk", "--weight", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Gave Ada Lovelace advice on 2026-02-20 (weight 3): Reviewed her conference talk.\n"
    )
    result = kith(
        "got",
        "ada@example.org",
        "referral",
        "Introduced me to the hiring manager at Babbage & Co",
        "--on",
        "2026-02-14",
        "--weight",
        "5",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Got referral from Ada Lovelace on 2026-02-14 (weight 5): "
        "Introduced me to the hiring manager at Babbage & Co.",
        'Not thanked yet: `kith thank "Ada Lovelace"` logs the thank-you.',
    ]
    shown = kith("ledger", "Ada")
    assert shown.exit_code == 0
    assert "You gave 3, they gave 5: they have given more." in shown.stdout
    assert "Balance +2 (you gave once, they gave once)." in shown.stdout
    assert "Last given: 2026-02-20; last received: 2026-02-14. 1 not thanked yet." in shown.stdout
    assert "Babbage & Co" in shown.stdout and "not thanked" in shown.stdout
    data = json.loads(kith("ledger", "Ada", "--json").stdout)
    assert (data["given"], data["received"], data["balance"]) == (3, 5, 2)
    assert data["balance_words"] == "they have given more"
    assert data["last_given"] == "2026-02-20" and data["unthanked"] == 1
    assert [e["direction"] for e in data["exchanges"]] == ["given", "received"]
    assert data["exchanges"][1]["giver"] == {"id": ada.pk, "name": "Ada Lovelace"}

    today = kith("today")
    assert "Say thanks (1)" in today.stdout and "Thank Ada Lovelace" in today.stdout
    assert "referral on 14 February, not thanked after 6 days" in today.stdout


def test_kith_intro_and_thank(kith, network, ada, grace):
    result = kith("intro", "Ada", "Grace", "--note", "both work on compilers")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Introduced Ada Lovelace and Grace Hopper: both work on compilers (on 2026-02-20).\n"
    )
    assert ValueExchange.objects.filter(kind="introduction").count() == 2
    assert kith("got", "Grace", "gift", "A book", "--on", "-5d").exit_code == 0
    result = kith("thank", "Grace", "--note", "Wrote a card")
    assert result.stdout == "Thanked Grace Hopper for 1 thing: gift.\n"
    assert Interaction.objects.filter(summary__startswith="Thanked for: gift (A book)").exists()
    assert "Say thanks" not in kith("today").stdout


def test_kith_ledger_for_the_network(kith, network, ada, grace):
    received(network, ada, weight=4, on=dt.date(2026, 2, 1))
    received(network, grace, weight=1, on=dt.date(2026, 1, 1))
    gave(network, grace, on=dt.date(2026, 1, 5))
    result = kith("ledger")
    assert result.exit_code == 0
    assert "You gave 2 (1 times) and received 5 (2 times)." in result.stdout
    assert "Say thanks within 3 days; 2 waiting now" in result.stdout
    assert "Who helped you most (2)" in result.stdout
    assert "nothing given back in 180 days (1)" in result.stdout
    data = json.loads(kith("ledger", "--json").stdout)
    assert [h["person"]["name"] for h in data["helped_most"]] == ["Ada Lovelace", "Grace Hopper"]
    assert data["give_back"] == [
        {
            "person": {"id": ada.pk, "name": "Ada Lovelace"},
            "received": 4,
            "last_received": "2026-02-01",
            "last_given": None,
        }
    ]
    assert data["thanks_within_days"] == 3 and data["thanks_due"] == 2


def test_kith_ledger_sets_the_thanks_window(kith, network):
    result = kith("ledger", "--thanks-within", "5d")
    assert result.exit_code == 0
    assert result.stdout.startswith("Say thanks within 5 days")
    assert Network.objects.get(pk=network.pk).thanks_within_days == 5
    data = json.loads(kith("ledger", "--thanks-within", "7", "--json").stdout)
    assert data["thanks_within_days"] == 7
    bad = kith("ledger", "--thanks-within", "soon")
    assert bad.exit_code == 2
    assert "--thanks-within: 'soon' is not a number of days" in bad.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("give", "Ada", "bribe"), 2, "Error: kind: 'bribe' is not one of: advice,"),
        (("give", "Ada", "advice", "x", "--weight", "9"), 2, "Error: weight: 9 is not from 1"),
        (("got", "Ada", "advice", "--on", "tomorrow"), 2, "Error: on: 2026-02-21 is in the future"),
        (("got", "Ada", "advice", "--on", "someday"), 2, "Error: --on: 'someday' is not a date"),
        (("give", "me", "advice"), 2, "Error: person: that is you"),
        (("give", "Nobody Atall", "advice"), 1, "Error: No one"),
        (("intro", "Ada", "Ada"), 2, "Error: other: introduce two different people"),
        (("thank", "Ada"), 2, "Error: person: nothing from Ada Lovelace is waiting"),
        (("ledger", "me"), 2, "Error: person: that is you"),
    ],
)
def test_kith_ledger_errors_are_one_line(kith, ada, args, code, message):
    result = kith(*args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not ValueExchange.objects.exists()


def test_kith_commands_as_a_viewer_change_nothing(network, viewer, ada, settings):
    viewer.current_network = network
    viewer.save()
    settings.CLI_USERNAME = "viewer"
    result = CliRunner().invoke(app, ["give", "Ada", "advice"])
    assert result.exit_code == 3
    assert "may view" in result.stderr
    assert not ValueExchange.objects.exists()


# The demo -----------------------------------------------------------------------------------


def test_the_demo_shows_the_ledger_on_today(network, owner):
    from kithkin.demo import generate_network

    generate_network(network, owner, people=120, interactions=300, seed=7, today=TODAY)
    exchanges = ValueExchange.objects.filter(network=network)
    assert 20 <= exchanges.count() <= 60
    me_id = me(network).pk
    assert (
        exchanges.filter(giver_id=me_id).exists() and exchanges.filter(receiver_id=me_id).exists()
    )
    intro = exchanges.filter(kind="introduction")
    assert intro.count() == 2 and intro.values("interaction").distinct().count() == 1
    (section,) = [s for s in agenda(network, TODAY).sections if s.key == "thanks"]
    assert section.total == 3
    thanked = exchanges.filter(thanked_at__isnull=False)
    assert thanked.exists() and not thanked.filter(thanked_in__isnull=True).exists()
    result = ledger_queries.network_ledger(network, TODAY)
    assert result.helpers and result.give_back
