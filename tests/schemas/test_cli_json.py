"""Every `kith ... --json` validates against its shape in kithkin.schemas: each command of
docs/cli.md that takes --json is run on a network where its lists are not empty, and its
output must validate strictly (no unknown field, none missing, every type right) and
dump back to exactly what was printed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import TypeAdapter, ValidationError

from kithkin.cli.app import app
from kithkin.models import Opportunity, Person, TrashedItem
from kithkin.schemas.agenda import AgendaOut
from kithkin.schemas.brief import BriefOut
from kithkin.schemas.digest import DigestOut
from kithkin.schemas.doctor import DoctorOut
from kithkin.schemas.duplicates import DuplicatePairOut, MergeOut
from kithkin.schemas.events import EventDetailOut, EventListOut, EventOut
from kithkin.schemas.feeds import FeedOut
from kithkin.schemas.history import HistoryEntryOut, RestoredOut
from kithkin.schemas.imports import ImportPlanOut, RestoreOut
from kithkin.schemas.insights import PathSearchOut, StatsOut
from kithkin.schemas.ledger import NetworkLedgerOut, PersonLedgerOut
from kithkin.schemas.memberships import JoinOut
from kithkin.schemas.mentorships import MentorshipDetailOut, MentorshipOut
from kithkin.schemas.messages import DraftOut
from kithkin.schemas.milestones import CelebrateWindowOut, MilestoneOut, OccasionOut
from kithkin.schemas.networks import (
    AcceptedOut,
    CircleOut,
    NetworkOut,
    SettingsOut,
    TriageSuggestionOut,
)
from kithkin.schemas.opportunities import (
    MatchesOut,
    OpportunityDetailOut,
    OpportunityOut,
    ReportOut,
)
from kithkin.schemas.organizations import (
    OrganizationDetailOut,
    OrganizationMergeOut,
    OrganizationOut,
    OrganizationRowOut,
)
from kithkin.schemas.people import ChangedOut, PersonCardOut, PersonRowOut
from kithkin.schemas.search import SearchOut
from kithkin.schemas.strength import StrengthListOut, StrengthOut
from kithkin.schemas.sync_accounts import SyncAccountOut
from kithkin.schemas.tokens import TokenCreatedOut, TokenOut
from kithkin.schemas.webhooks import WebhookCreatedOut, WebhookOut
from tests.factories import log, make_follow_up, make_person
from tests.factories_drafts import relate
from tests.factories_events import make_event, meet
from tests.factories_ledger import gave, received
from tests.factories_memberships import make_membership, make_organization
from tests.factories_mentorships import make_mentorship, make_session
from tests.factories_milestones import make_job, make_milestone
from tests.factories_opportunities import make_opportunity, make_share

pytestmark = pytest.mark.django_db

VCARD = """BEGIN:VCARD
VERSION:3.0
FN:Katherine Johnson
EMAIL:katherine@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
EMAIL:nobody@example.org
END:VCARD
"""


@dataclass
class World:
    """The network every case runs in, and what a case may need to name."""

    kith: Callable[..., Any]
    tmp: Path
    ada: Person
    grace: Person
    namesake: Person
    opportunity: Opportunity

    def ok(self, *args: str) -> str:
        result = self.kith(*args)
        assert result.exit_code == 0, result.output
        return result.stdout


@dataclass
class Case:
    command: str  # as docs/cli.md names it: "today", "org show"
    args: Callable[[World], list[str]]
    shape: Any  # a shape, or list[shape]
    name: str = ""
    filled: tuple[str, ...] = ()  # lists of the output that must not be empty

    @property
    def id(self) -> str:
        return self.name or self.command


def _vcard(world: World) -> list[str]:
    path = world.tmp / "contacts.vcf"
    path.write_text(VCARD)
    return ["import", "vcard", str(path)]


def _restore(world: World) -> list[str]:
    path = world.tmp / "export.json"
    world.ok("export", "json", "--output", str(path))
    world.ok("network", "new", "Restored")
    return ["import", "json", str(path)]


def _feed_made(world: World, then: list[str]) -> list[str]:
    world.ok("feed", "url")
    return then


def _account_added(world: World, then: list[str]) -> list[str]:
    from kithkin.services.sync_accounts import add_imap_account, record_success
    from kithkin.sync.outcome import SyncOutcome
    from tests.factories import owner_of

    network = world.ada.network
    account = add_imap_account(
        network, owner_of(network), preset="gmail", username="me@gmail.com", password="pw"
    )
    record_success(account, SyncOutcome(logged=3, skipped=1), account.created_at)
    return then


def _trashed(world: World) -> list[str]:
    world.ok("delete", "Linus Torvalds", "--yes")
    return ["trash", "restore", str(TrashedItem.objects.get().pk)]


def _token_made(world: World, then: list[str]) -> list[str]:
    world.ok("token", "create", "--name", "phone", "--scope", "write")
    return then


def _webhook_added(world: World, then: list[str]) -> list[str]:
    world.ok("webhook", "add", "https://93.184.215.14/hook?token=x", "--event", "person.created")
    return then


def _all_fine(world: World, then: list[str]) -> list[str]:
    """What `kith doctor` wants to see to exit 0: a worker that just ran, a backup."""
    from kithkin.models import Backup, WorkerBeat

    WorkerBeat.objects.create(worker_id="host:1:1")
    made = world.tmp / "kithkin-backup.sqlite3"
    made.write_bytes(b"a backup")
    Backup.objects.create(path=str(made), method="sqlite", size=8)
    return then


def _p(person: Person) -> str:
    return f"p{person.pk}"


CASES = [
    Case(
        "today",
        lambda w: ["today"],
        AgendaOut,
        filled=("follow_ups", "check_ins", "upcoming_follow_ups", "sections"),
    ),
    Case("add", lambda w: ["add", "Alan Turing", "--phone", "+44 20 7946 0000"], PersonCardOut),
    Case(
        "show",
        lambda w: ["show", _p(w.ada)],
        PersonCardOut,
        filled=(
            "tags",
            "contact_points",
            "affiliations",
            "relationships",
            "timeline",
            "follow_ups",
        ),
    ),
    Case("find", lambda w: ["find", "compilers"], SearchOut, filled=("people",)),
    Case("people", lambda w: ["people"], list[PersonRowOut]),
    Case(
        "people",
        lambda w: ["people", "--tag", "compilers", "--add-tag", "x"],
        ChangedOut,
        "people --add-tag",
    ),
    Case("triage", lambda w: ["triage"], list[TriageSuggestionOut]),
    Case("strength", lambda w: ["strength", _p(w.ada)], StrengthOut, "strength NAME"),
    Case("strength", lambda w: ["strength"], StrengthListOut, filled=("strongest",)),
    Case("triage", lambda w: ["triage", "--accept"], AcceptedOut, "triage --accept"),
    Case("dupes", lambda w: ["dupes"], list[DuplicatePairOut]),
    Case("merge", lambda w: ["merge", _p(w.ada), _p(w.namesake)], MergeOut, "merge (preview)"),
    Case("merge", lambda w: ["merge", _p(w.ada), _p(w.namesake), "--yes"], MergeOut),
    Case("circles", lambda w: ["circles"], list[CircleOut]),
    Case("settings", lambda w: ["settings"], SettingsOut),
    Case("import", _vcard, ImportPlanOut),
    Case("import", _restore, RestoreOut, "import json"),
    Case("network list", lambda w: ["network", "list"], list[NetworkOut]),
    Case(
        "token create",
        lambda w: ["token", "create", "--name", "laptop", "--scope", "read"],
        TokenCreatedOut,
    ),
    Case("token list", lambda w: _token_made(w, ["token", "list"]), list[TokenOut]),
    Case("digest", lambda w: ["digest"], DigestOut, filled=("networks",)),
    Case(
        "webhook add",
        lambda w: ["webhook", "add", "https://93.184.215.14/kithkin"],
        WebhookCreatedOut,
    ),
    Case("webhook list", lambda w: _webhook_added(w, ["webhook", "list"]), list[WebhookOut]),
    Case(
        "account list",
        lambda w: _account_added(w, ["account", "list"]),
        list[SyncAccountOut],
    ),
    Case("feed url", lambda w: ["feed", "url"], FeedOut),
    Case("feed revoke", lambda w: _feed_made(w, ["feed", "revoke"]), FeedOut),
    Case("doctor", lambda w: _all_fine(w, ["doctor"]), DoctorOut, filled=("findings",)),
    Case(
        "event add", lambda w: ["event", "add", "Strange Loop", "--start", "2026-09-20"], EventOut
    ),
    Case("event list", lambda w: ["event", "list"], EventListOut),
    Case("event list", lambda w: ["event", "list", "--past"], EventListOut, "event list --past"),
    Case("event show", lambda w: ["event", "show", "Paris.py"], EventDetailOut, filled=("met",)),
    Case("org add", lambda w: ["org", "add", "ACM", "--kind", "association"], OrganizationOut),
    Case(
        "org edit",
        lambda w: ["org", "edit", "Babbage", "--website", "https://b.example"],
        OrganizationOut,
    ),
    Case(
        "org show",
        lambda w: ["org", "show", "Guild of Data Engineers"],
        OrganizationDetailOut,
        filled=("people", "past_people", "tags"),
    ),
    Case("org list", lambda w: ["org", "list"], list[OrganizationRowOut]),
    Case(
        "org merge",
        lambda w: ["org", "merge", "Analytical Engines", "Babbage", "--dry-run"],
        OrganizationMergeOut,
        "org merge --dry-run",
    ),
    Case(
        "org merge",
        lambda w: ["org", "merge", "Analytical Engines", "Babbage", "--yes"],
        OrganizationMergeOut,
    ),
    Case("join", lambda w: ["join", "IEEE", "--renews", "2027-03-01"], JoinOut),
    Case("draft", lambda w: ["draft", _p(w.ada)], DraftOut),
    Case("brief", lambda w: ["brief", _p(w.ada)], BriefOut),
    Case("mentor list", lambda w: ["mentor", "list"], list[MentorshipOut]),
    Case(
        "mentor show",
        lambda w: ["mentor", "show", "Barbara"],
        MentorshipDetailOut,
        filled=("sessions",),
    ),
    Case("ledger", lambda w: ["ledger"], NetworkLedgerOut, filled=("helped_most", "recent")),
    Case("ledger", lambda w: ["ledger", _p(w.ada)], PersonLedgerOut, "ledger PERSON"),
    Case("milestone list", lambda w: ["milestone", "list"], list[MilestoneOut]),
    Case(
        "milestone list",
        lambda w: ["milestone", "list", "--upcoming", "30d"],
        list[OccasionOut],
        "milestone list --upcoming",
    ),
    Case("milestone window", lambda w: ["milestone", "window"], CelebrateWindowOut),
    Case(
        "opp add",
        lambda w: ["opp", "add", "Talk at PyCon", "--kind", "speaking"],
        OpportunityDetailOut,
    ),
    Case("opp list", lambda w: ["opp", "list"], list[OpportunityOut]),
    Case(
        "opp show",
        lambda w: ["opp", "show", f"op{w.opportunity.pk}"],
        OpportunityDetailOut,
        filled=("shares", "tags"),
    ),
    Case(
        "opp match",
        lambda w: ["opp", "match", f"op{w.opportunity.pk}"],
        MatchesOut,
        filled=("matches",),
    ),
    Case("opp report", lambda w: ["opp", "report"], ReportOut, filled=("top_sources",)),
    Case("history", lambda w: ["history", _p(w.ada)], list[HistoryEntryOut]),
    Case("trash restore", _trashed, RestoredOut),
    Case("path", lambda w: ["path", _p(w.grace)], PathSearchOut, filled=("paths",)),
    Case("stats", lambda w: ["stats"], StatsOut, filled=("charts",)),
]


@pytest.fixture
def world(kith, network, tmp_path) -> World:
    """A network with a row in every list (built through the services: fast)."""
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"],
                      phones=["+44 20 7946 0958"], organization="Analytical Engines", title="CTO",
                      circle="close", tags=["compilers"], what_matters="Her compiler project")  # fmt: skip
    grace = make_person(network, "Grace Hopper", emails=["grace@example.org"], organization="Navy",
                        title="Rear Admiral", circle="regular", tags=["compilers"])  # fmt: skip
    linus = make_person(network, "Linus Torvalds")  # no circle: for triage
    namesake = make_person(network, "Ada Lovelace", headline="Countess", tags=["poetry"],
                           organization="Royal Society", title="Fellow")  # fmt: skip
    log(network, [ada, grace], on=dt.date(2026, 1, 10), summary="Talked about compilers",
        learned="She is hiring", next_questions="How did the launch go?")  # fmt: skip
    make_follow_up(network, ada, "Send her the paper", due_on=dt.date(2026, 1, 12))
    make_event(network, "PyCon US 2027", starts_on=dt.date(2027, 5, 14),
               ends_on=dt.date(2027, 5, 22), status="going", location="Long Beach")  # fmt: skip
    paris = make_event(network, "Paris.py", starts_on=dt.date(2026, 2, 15), tags=["python"])
    meet(network, paris, "Grace Hopper", note="talked about COBOL")
    make_membership(network, make_organization(network, "Guild of Data Engineers", tags=["data"]),
                    role="Board member", renews_on=dt.date(2027, 3, 1))  # fmt: skip
    barbara = make_person(network, "Barbara Liskov")
    mentorship = make_mentorship(network, mentor=barbara)
    make_session(network, mentorship, on=dt.date(2026, 2, 18), note="Rituals")
    gave(network, ada)
    received(network, grace, on=dt.date(2026, 2, 14))
    make_milestone(network, ada, on=dt.date(2026, 2, 25), title="VP")
    opportunity = make_opportunity(network, "Compiler engineer at Babbage", organization="Babbage",
                                   tags=["compilers"], source=grace)  # fmt: skip
    make_share(network, opportunity, linus, note="Thought of you")
    make_job(
        network, ada, "Guild of Data Engineers", start_on=dt.date(2020, 1, 1), title="Treasurer"
    )
    make_job(network, grace, "Guild of Data Engineers", start_on=dt.date(2015, 1, 1),
             end_on=dt.date(2020, 1, 1), title="Founder")  # fmt: skip
    relate(network, ada, grace)
    return World(
        kith=kith,
        tmp=tmp_path,
        ada=ada,
        grace=grace,
        namesake=namesake,
        opportunity=opportunity,
    )


def _validated(shape: Any, stdout: str) -> Any:
    """The output validated strictly against the shape, dumped back: equal to the output
    when every field is the shape's and of its type."""
    adapter = TypeAdapter(shape)
    value = adapter.validate_json(stdout, strict=True)
    return adapter.dump_python(value, mode="json")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_json_output_validates_against_its_schema(world, case):
    stdout = world.ok(*case.args(world), "--json")
    printed = json.loads(stdout)
    assert _validated(case.shape, stdout) == printed
    for key in case.filled:
        assert printed[key], f"{key} is empty: the world must fill it for the test to mean much"
    if isinstance(printed, list):
        assert printed, "an empty list validates anything: the world must give it rows"


def json_commands() -> set[str]:
    """Every command of the tree that takes --json (docs/cli.md documents each)."""
    group = typer.main.get_command(app)
    found = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        for sub_name, sub in (subs or {"": command}).items():
            if any("--json" in param.opts for param in sub.params):
                found.add(f"{name} {sub_name}".strip())
    return found


def test_every_command_with_json_has_a_case():
    assert json_commands() == {case.command for case in CASES}


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda card: card.update(nickname="Ada"), id="unknown field"),
        pytest.param(lambda card: card.pop("headline"), id="missing field"),
        pytest.param(lambda card: card.update(headline=card.pop("name")), id="renamed field"),
        pytest.param(lambda card: card.update(id=str(card["id"])), id="id as a string"),
        pytest.param(lambda card: card.update(connected_on="20/02/2026"), id="not an ISO date"),
        pytest.param(
            lambda card: card["contact_points"][0].update(primary="yes"), id="nested type"
        ),
        pytest.param(lambda card: card["timeline"][0].pop("others"), id="nested missing field"),
    ],
)
def test_a_wrong_field_fails_validation(world, spoil):
    card = json.loads(world.ok("show", _p(world.ada), "--json"))
    _validated(PersonCardOut, json.dumps(card))  # as printed, it validates
    spoil(card)
    with pytest.raises(ValidationError):
        _validated(PersonCardOut, json.dumps(card))
