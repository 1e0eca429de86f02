"""Parse -> plan -> apply: matching, idempotence, one person from many sources, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.errors import Forbidden
from kithkin.importers.apply import APPLY_STEPS, apply_plan
from kithkin.importers.plan import plan_import
from kithkin.importers.records import (
    ContactRecord,
    InteractionRecord,
    ParseResult,
    Participant,
    RecordError,
)
from kithkin.models import ContactPoint, Interaction, Organization, Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def contact(name: str, *, line: int = 2, source: str = "linkedin", **fields) -> ContactRecord:
    return ContactRecord(source=source, path=f"{source}.csv", line=line, full_name=name, **fields)


def run(network, owner, *records, interactions=()):
    plan = plan_import(
        network, ParseResult(contacts=list(records), interactions=list(interactions))
    )
    return plan, apply_plan(network, owner, plan)


def test_new_people_arrive_with_everything(network, owner):
    plan, summary = run(
        network,
        owner,
        contact(
            "Ada Lovelace",
            emails=[("Ada@Example.org", "work")],
            phones=[("+44 20 7946 0958", "")],
            urls=["https://uk.linkedin.com/in/ada-lovelace/"],
            organization="Analytical Engines",
            title="CTO",
            connected_on=dt.date(2024, 1, 12),
            tags=["compilers"],
            birthday=(None, 12, 10),
        ),
    )
    assert plan.summary["new"] == 1
    ada = Person.objects.get(pk=summary.created[0])
    assert (ada.connected_on, ada.birthday_month, ada.birthday_day) == (
        dt.date(2024, 1, 12),
        12,
        10,
    )
    assert set(ada.contact_points.values_list("kind", "normalized", "is_primary")) == {
        ("email", "ada@example.org", True),
        ("phone", "+442079460958", True),
        ("social", "https://www.linkedin.com/in/ada-lovelace", True),
    }
    assert [str(a) for a in ada.affiliations.all()] == ["CTO at Analytical Engines"]
    assert list(ada.tags.values_list("name", flat=True)) == ["compilers"]
    from kithkin.queries.search import search

    assert [h.person for h in search(network, "analytical").people] == [ada]


def test_importing_the_same_records_twice_changes_nothing(network, owner):
    records = [
        contact(
            "Ada Lovelace", emails=[("ada@example.org", "")], organization="Analytical Engines"
        ),
        contact("Grace Hopper", urls=["linkedin.com/in/grace"], organization="US Navy", line=3),
    ]
    run(network, owner, *records)
    before = (Person.objects.count(), ContactPoint.objects.count(), Organization.objects.count())
    plan, summary = run(network, owner, *records)
    assert plan.summary["unchanged"] == 2
    assert not plan.changes_anything
    assert (summary.created, summary.updated) == ([], [])
    assert (
        Person.objects.count(),
        ContactPoint.objects.count(),
        Organization.objects.count(),
    ) == before


@pytest.mark.parametrize(
    ("existing", "incoming", "matched_by"),
    [
        (
            {"emails": ["ada@example.org"]},
            {"emails": [("ADA@example.org", "")]},
            "same email ada@example.org",
        ),
        (
            {"phones": ["+44 20 7946 0958"]},
            {"phones": [("+442079460958", "mobile")]},
            "same name and phone +442079460958",  # a phone supports a name, never alone
        ),
        (
            {"urls": ["linkedin.com/in/ada"]},
            {"urls": ["https://de.linkedin.com/in/Ada/"]},
            "same linkedin https://www.linkedin.com/in/ada",
        ),
        (
            {"organization": "Analytical Engines"},
            {"organization": "analytical engines"},
            "same name at the same organization",
        ),
    ],
)
def test_existing_people_are_matched_by_exact_keys_then_name_and_organization(
    network, owner, existing, incoming, matched_by
):
    ada = make_person(network, "Ada Lovelace", **existing)
    plan, summary = run(network, owner, contact("Ada Lovelace", **incoming))
    assert plan.contacts[0].person_id == ada.pk
    assert plan.contacts[0].matched_by == matched_by
    assert summary.created == []


def test_a_bare_name_does_not_match_someone_known_by_more(network, owner):
    make_person(network, "John Smith", emails=["john@acme.example"])
    plan, _ = run(network, owner, contact("John Smith"))
    assert plan.summary["new"] == 1
    assert Person.objects.filter(full_name="John Smith").count() == 2


def test_bare_names_meet_bare_names_so_a_reimport_stays_idempotent(network, owner):
    """A card with nothing but a name, imported twice, is one person, not two."""
    make_person(network, "John Smith")
    plan, _ = run(
        network,
        owner,
        contact("John Smith"),
        contact("Jane Roe", line=3),
        contact("Jane Roe", line=4),
    )
    assert [(c.record.full_name, c.action) for c in plan.contacts] == [
        ("John Smith", "unchanged"),
        ("Jane Roe", "new"),
    ]
    assert plan.summary["merged"] == 1


def test_a_match_only_fills_what_is_missing(network, owner):
    ada = make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        location="London",
        organization="Analytical Engines",
    )
    plan, _ = run(
        network,
        owner,
        contact(
            "Ada Lovelace",
            emails=[("ada@example.org", ""), ("ada@home.example", "home")],
            location="Paris",
            connected_on=dt.date(2020, 1, 1),
            organization="Analytical Engines",
            title="CTO",
        ),
    )
    assert plan.contacts[0].changes == ["+ email ada@home.example", "connected on: 2020-01-01"]
    ada.refresh_from_db()
    assert (ada.location, ada.connected_on) == ("London", dt.date(2020, 1, 1))
    assert ada.contact_points.filter(normalized="ada@home.example", is_primary=False).exists()


def test_one_person_from_linkedin_google_and_a_vcard(network, owner):
    run(
        network,
        owner,
        contact(
            "Ada Lovelace",
            urls=["linkedin.com/in/ada"],
            emails=[("ada@example.org", "")],
            organization="Analytical Engines",
            source="linkedin",
        ),
    )
    run(
        network,
        owner,
        contact(
            "Ada Lovelace",
            emails=[("ada@example.org", "")],
            phones=[("+442079460958", "")],
            source="google",
        ),
    )
    run(
        network,
        owner,
        contact(
            "ada  LOVELACE",  # a phone is no identity key, but it supports the same name
            phones=[("+44 20 7946 0958", "")],
            emails=[("countess@example.org", "")],
            source="vcard",
        ),
    )
    [ada] = Person.objects.filter(is_self=False)
    assert sorted(ada.contact_points.values_list("normalized", flat=True)) == [
        "+442079460958",
        "ada@example.org",
        "countess@example.org",
        "https://www.linkedin.com/in/ada",
    ]


def test_records_of_one_file_naming_the_same_person_become_one(network, owner):
    plan, summary = run(
        network,
        owner,
        contact("Ada Lovelace", emails=[("ada@example.org", "")], line=2),
        contact(
            "Ada Lovelace", emails=[("ada@example.org", "")], phones=[("+442079460958", "")], line=9
        ),
    )
    assert (plan.summary["new"], plan.summary["merged"]) == (1, 1)
    assert Person.objects.get(pk=summary.created[0]).contact_points.count() == 2


def test_bad_values_are_reported_with_file_line_and_field_and_the_rest_imports(network, owner):
    plan, summary = run(
        network,
        owner,
        contact(
            "Ada Lovelace",
            line=7,
            emails=[("ada@", "")],
            phones=[("12", "")],
            organization="Analytical Engines",
        ),
    )
    assert [str(e) for e in plan.errors] == [
        "linkedin.csv:7: email: 'ada@' is not a valid email address (There must be something after the @-sign.)",
    ]
    assert "+ phone 12 (unverified: not read as a phone number)" in plan.contacts[0].changes
    ada = Person.objects.get(pk=summary.created[0])
    assert ada.full_name == "Ada Lovelace"
    # A phone that is no number is never refused: it is kept as written, unverified.
    (phone,) = ada.contact_points.filter(kind="phone")
    assert (phone.value, phone.is_unverified) == ("12", True)


def test_interactions_find_their_people_and_are_never_imported_twice(network, owner):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"], circle="close")
    talk = InteractionRecord(
        source="email",
        path="mail.mbox",
        line=1,
        external_id="<1@example.org>",
        kind="email",
        occurred_at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC),
        direction="inbound",
        summary="Compilers",
        participants=[Participant(email="ADA@example.org")],
    )
    stranger = InteractionRecord(
        source="email",
        path="mail.mbox",
        line=30,
        external_id="<2@example.org>",
        kind="email",
        occurred_at=dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC),
        direction="inbound",
        summary="Spam",
        participants=[Participant(email="x@y.example")],
    )
    plan, summary = run(network, owner, interactions=[talk, stranger])
    assert [p.action for p in plan.interactions] == ["new", "unmatched"]
    assert summary.interactions == 1
    ada.refresh_from_db()
    assert ada.check_in_due_on == dt.date(2026, 3, 3)  # the import resets the check-in
    plan, summary = run(network, owner, interactions=[talk])
    assert [p.action for p in plan.interactions] == ["exists"]
    assert Interaction.objects.count() == 1


def test_interactions_may_name_people_created_by_the_same_import(network, owner):
    record = contact("Grace Hopper", urls=["linkedin.com/in/grace"])
    message = InteractionRecord(
        source="linkedin",
        path="messages.csv",
        line=2,
        external_id="c1/2026-01-01",
        kind="message",
        occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        direction="outbound",
        summary="Hello",
        participants=[Participant(profile_url="https://www.linkedin.com/in/grace/")],
    )
    run(network, owner, record, interactions=[message])
    assert Interaction.objects.get().participants.get().full_name == "Grace Hopper"


def test_the_import_is_one_transaction(network, owner, monkeypatch):
    from kithkin.importers import apply as applier

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(applier, "_create_interactions", explode)  # after people
    plan = plan_import(
        network, ParseResult(contacts=[contact("Ada Lovelace", organization="Analytical Engines")])
    )
    with pytest.raises(RuntimeError):
        apply_plan(network, owner, plan)
    assert not Person.objects.filter(full_name="Ada Lovelace").exists()
    assert not Organization.objects.exists()


def test_a_viewer_cannot_import(network, viewer):
    plan = plan_import(network, ParseResult(contacts=[contact("Ada Lovelace")]))
    with pytest.raises(Forbidden):
        apply_plan(network, viewer, plan)


def test_parse_errors_and_skips_pass_through_the_plan(network):
    error = RecordError("x.vcf", 3, "END", "card is not closed")
    plan = plan_import(network, ParseResult(errors=[error], skipped=[error]))
    assert (plan.errors, plan.skipped) == ([error], [error])


def test_namesakes_with_different_linkedin_profiles_stay_two_people(network, owner):
    make_person(network, "John Smith", organization="Acme", urls=["linkedin.com/in/john-smith-1"])
    plan, _ = run(
        network,
        owner,
        contact("John Smith", organization="Acme", urls=["linkedin.com/in/john-smith-2"], line=2),
        contact("John Smith", organization="Acme", urls=["linkedin.com/in/john-smith-3"], line=3),
    )
    assert plan.summary["new"] == 2
    assert Person.objects.filter(full_name="John Smith").count() == 3


def test_my_own_jobs_become_my_affiliations_once(network, owner):
    from kithkin.importers.records import MyJob

    jobs = [
        MyJob("Analytical Engines", "CTO", dt.date(2020, 1, 1), None),
        MyJob("Babbage & Co", "Engineer", dt.date(2015, 3, 1), dt.date(2019, 12, 1)),
    ]
    for _ in range(2):
        plan = plan_import(network, ParseResult(my_jobs=list(jobs)))
        apply_plan(network, owner, plan)
    me = Person.objects.get(network=network, is_self=True)
    assert sorted((str(a), a.end_on) for a in me.affiliations.all()) == [
        ("CTO at Analytical Engines", None),
        ("Engineer at Babbage & Co", dt.date(2019, 12, 1)),
    ]
    assert plan.summary["my_jobs"] == 0  # the second time, nothing new


def test_the_apply_reports_each_step_in_order_for_the_progress_bar(network, owner):
    plan = plan_import(
        network, ParseResult(contacts=[contact("Ada Lovelace", emails=[("ada@example.org", "")])])
    )
    heard: list[str] = []
    apply_plan(network, owner, plan, progress=heard.append)
    assert heard == list(APPLY_STEPS)


def _mail(n: int, email: str, *, day: int, kind: str = "email") -> InteractionRecord:
    return InteractionRecord(
        source="email",
        path="mail.mbox",
        line=n * 10 + 1,
        external_id=f"<{n}@example.org>",
        kind=kind,
        occurred_at=dt.datetime(2026, 1, day, 9, tzinfo=dt.UTC),
        direction="inbound" if n % 2 else "outbound",
        summary=f"Message {n}",
        participants=[Participant(email=email)],
    )


def _derived_state(network) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    from kithkin.models import InteractionTally

    return (
        list(
            Person.objects.filter(network=network)
            .order_by("pk")
            .values_list("pk", "last_interaction_at", "check_in_due_on")
        ),
        list(
            InteractionTally.objects.order_by("person").values_list(
                "person", *InteractionTally.FIELDS
            )
        ),
    )


def test_imported_interactions_are_counted_as_a_recount_would(network, owner):
    """The import adds its interactions to each person's stored tally and last
    interaction; a recount of everyone's finds nothing to change."""
    from kithkin.services.checkins import refresh_check_ins
    from tests.factories import log

    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"], circle="close")
    make_person(network, "Alan Turing", emails=["alan@example.org"])
    log(network, ada, on=dt.date(2026, 1, 20), kind="meeting")  # newer than the mail
    grace = contact("Grace Hopper", source="vcard", emails=[("grace@example.org", "")])
    mail = [
        _mail(n, email, day=1 + n, kind="meeting" if n == 4 else "email")
        for n, email in enumerate(
            ["ada@example.org", "alan@example.org", "grace@example.org"] * 3, start=1
        )
    ]
    run(network, owner, grace, interactions=mail)
    assert Interaction.objects.filter(source="email").count() == 9
    before = _derived_state(network)
    assert refresh_check_ins(network) == 0
    assert _derived_state(network) == before
    ada.refresh_from_db()
    assert ada.last_interaction_at == dt.datetime(2026, 1, 20, 11, tzinfo=dt.UTC)  # local noon


def test_interactions_written_meanwhile_by_another_import_are_skipped_and_recounted(network, owner):
    """Two imports of the same mail planned at once: the second to apply skips what the
    first wrote, links only its own, and everyone's tally stays exact."""
    from kithkin.services.checkins import refresh_check_ins

    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    mail = [_mail(n, "ada@example.org", day=n) for n in range(1, 5)]
    late = plan_import(network, ParseResult(interactions=mail))
    run(network, owner, interactions=mail[:2])
    summary = apply_plan(network, owner, late)
    assert summary.interactions == 2  # planned again: the other import is a change
    assert summary.plan is not late and summary.plan.summary["interactions_existing"] == 2
    assert Interaction.objects.count() == 4
    assert all(i.participants.count() == 1 for i in Interaction.objects.all())
    before = _derived_state(network)
    assert refresh_check_ins(network) == 0
    assert _derived_state(network) == before


def test_interactions_another_import_writes_unseen_are_skipped_and_recounted(network, owner):
    """When the other import's change is not seen by the check (PostgreSQL: both
    transactions still open), its rows are refused by the unique index: the apply links
    only its own, and everyone's tally stays exact."""
    from kithkin.services.checkins import refresh_check_ins

    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    mail = [_mail(n, "ada@example.org", day=n) for n in range(1, 5)]
    late = plan_import(network, ParseResult(interactions=mail))
    late.as_of = None  # as if the check had seen nothing
    run(network, owner, interactions=mail[:2])
    summary = apply_plan(network, owner, late)
    assert summary.interactions == 4  # as planned
    assert Interaction.objects.count() == 4
    assert all(i.participants.count() == 1 for i in Interaction.objects.all())
    before = _derived_state(network)
    assert refresh_check_ins(network) == 0
    assert _derived_state(network) == before
