"""Reads about organizations and my memberships: find an organization by name, list them
with how many people are there, one organization with its people, and the renewals the
agenda shows ahead of time (``Network.renewal_notice_days``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from kithkin import access, refs
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.fulltext import fold, words
from kithkin.models import Affiliation, Network, Organization, User
from kithkin.normalize import closest
from kithkin.queries.agenda_items import AgendaItem, Section

SECTION_SHOWN = 10
MAX_CANDIDATES = 8


def organization_key(name: str) -> str:
    """What makes two names one organization: case, accents and spacing aside
    ('Société  Générale' is 'societe generale'). The importer, the services and the
    resolver all compare names through this one rule."""
    return fold(" ".join(name.split()))


def organization_named(
    network: Network, name: str, *, exclude: Organization | None = None
) -> Organization | None:
    """The network's organization that ``name`` names (see ``organization_key``), if any;
    ``exclude`` leaves one out (an organization being renamed)."""
    wanted = organization_key(name)
    if not wanted:
        return None
    organizations = Organization.objects.filter(network=network)
    if exclude is not None:
        organizations = organizations.exclude(pk=exclude.pk)
    exact = organizations.filter(name__iexact=" ".join(name.split())).first()
    if exact is not None:
        return exact
    for pk, known in organizations.values_list("pk", "name"):
        if organization_key(known) == wanted:
            return organizations.get(pk=pk)
    return None


def resolve_organization(user: User, network: Network, text: str) -> Organization:
    """The one organization ``text`` names: ``o12`` or ``#12`` (its id, through
    access.py), its name whatever the case, or a unique prefix of its words. Raises
    Ambiguous or NotFound (with the closest)."""
    query = " ".join(text.split())
    organization_id = refs.id_of(query, refs.ORGANIZATION, "organization", bare=False)
    if organization_id is None and query.startswith("#") and query[1:].isdigit():
        organization_id = int(query[1:])
    if organization_id is not None:
        return access.organization_for(user, network, organization_id)
    access.membership(user, network)
    organizations = Organization.objects.filter(network=network)
    if not query:
        raise InvalidInput("organization", "must not be empty")
    named = organization_named(network, query)
    if named is not None:
        return named
    names = dict(organizations.values_list("pk", "name"))
    query_words = words(query)
    prefix = [
        pk
        for pk, name in names.items()
        if query_words and all(any(w.startswith(q) for w in words(name)) for q in query_words)
    ]
    if len(prefix) == 1:
        return organizations.get(pk=prefix[0])
    if prefix:
        shown = sorted(names[pk] for pk in prefix)
        more = f" (and {len(shown) - MAX_CANDIDATES} more)" if len(shown) > MAX_CANDIDATES else ""
        raise Ambiguous(
            f"{query!r} names {len(shown)} organizations{more}; which one?",
            shown[:MAX_CANDIDATES],
        )
    raise NotFound(
        f"No organization called {query!r}.", suggestions=[n for n, _, _ in closest(query, names)]
    )


def _narrowed(
    organizations: QuerySet[Organization], kind: str | None, text: str
) -> QuerySet[Organization]:
    if kind:
        if kind not in Organization.Kind.values:
            raise InvalidInput(
                "kind", f"{kind!r} is not one of: {', '.join(Organization.Kind.values)}"
            )
        organizations = organizations.filter(kind=kind)
    if text.strip():
        organizations = organizations.filter(name__icontains=text.strip())
    return organizations


def list_organizations(
    network: Network, *, kind: str | None = None, text: str = ""
) -> QuerySet[Organization]:
    """Organizations, the most people there now first (``Organization.people_count``,
    kept by the database: kithkin.organization_counts), then by name; ``kind`` and a name
    fragment narrow them. A page of them is read in that order from the index
    ``organization_people``, whatever the number of ties in the network."""
    found = _narrowed(Organization.objects.filter(network=network), kind, text)
    return found.order_by("-people_count", "name")


def count_organizations(network: Network, *, kind: str | None = None, text: str = "") -> int:
    """How many organizations ``list_organizations`` lists, without counting their people."""
    return _narrowed(Organization.objects.filter(network=network), kind, text).count()


@dataclass
class OrganizationDetail:
    organization: Organization
    tags: list[str]
    current: list[Affiliation]  # people there now, me left out
    past: list[Affiliation]  # people who were there (ended), me left out
    membership: Affiliation | None  # my current membership
    mine: list[Affiliation] = field(default_factory=list)  # my other ties, past ones too


def organization_detail(network: Network, organization: Organization) -> OrganizationDetail:
    """One organization with its people (current and past, with their titles) and my ties."""
    affiliations = list(
        Affiliation.objects.filter(
            organization=organization,
            person__network=network,
            person__archived_at__isnull=True,
        )
        .select_related("person", "person__circle")
        .order_by("end_on", "person__full_name", "-start_on", "pk")
    )
    others = [a for a in affiliations if not a.person.is_self]
    mine = [a for a in affiliations if a.person.is_self]
    memberships = sorted(
        (a for a in mine if a.kind == Affiliation.Kind.MEMBERSHIP and a.end_on is None),
        key=lambda a: (a.start_on or dt.date.min, a.pk),
        reverse=True,
    )
    membership = memberships[0] if memberships else None
    return OrganizationDetail(
        organization=organization,
        tags=list(organization.tags.values_list("name", flat=True)),
        current=[a for a in others if a.end_on is None],
        past=sorted(
            (a for a in others if a.end_on is not None),
            key=lambda a: (a.end_on, a.person.full_name),
            reverse=True,
        ),
        membership=membership,
        mine=[a for a in mine if a is not membership],
    )


def my_memberships(network: Network) -> list[Affiliation]:
    """My current memberships, the next renewal first (those without a date last)."""
    found = Affiliation.objects.filter(
        person__network=network,
        person__is_self=True,
        kind=Affiliation.Kind.MEMBERSHIP,
        end_on__isnull=True,
    ).select_related("organization")
    return sorted(found, key=lambda a: (a.renews_on or dt.date.max, a.organization.name))


def _day(day: dt.date, today: dt.date) -> str:
    return f"{day:%-d %B}" + (f" {day.year}" if day.year != today.year else "")


def renewal_reason(renews_on: dt.date, today: dt.date) -> str:
    """'renews in 12 days (4 March)', 'renews today', 'renewal overdue by 3 days'."""
    days = (renews_on - today).days
    if days < 0:
        late = -days
        return f"renewal overdue by {late} day{'s' if late != 1 else ''}"
    if days == 0:
        return "renews today"
    if days == 1:
        return f"renews tomorrow ({_day(renews_on, today)})"
    return f"renews in {days} days ({_day(renews_on, today)})"


def renewals_due(network: Network, today: dt.date) -> Section:
    """My current memberships renewing within the notice days from ``today``, or overdue;
    the most overdue first. Two queries whatever the network's size."""
    notice = network.renewal_notice_days
    due = Affiliation.objects.filter(
        person__network=network,
        person__is_self=True,
        kind=Affiliation.Kind.MEMBERSHIP,
        end_on__isnull=True,
        renews_on__isnull=False,
        renews_on__lte=today + dt.timedelta(days=notice),
    )
    total = due.count()
    rows = list(due.select_related("organization").order_by("renews_on", "pk")[:SECTION_SHOWN])
    items = []
    for membership in rows:
        assert membership.renews_on is not None
        role = membership.title or "member"
        since = f" since {membership.start_on:%B %Y}" if membership.start_on else ""
        items.append(
            AgendaItem(
                key=f"renewals-{membership.pk}",
                title=f"Renew my membership of {membership.organization.name}",
                people=[],
                reason=renewal_reason(membership.renews_on, today),
                on=membership.renews_on,
                record_id=membership.organization_id,
                detail=f"{role[:1].upper()}{role[1:]}{since}",
            )
        )
    return Section(
        key="renewals",
        title="Renew memberships",
        note=f"My memberships renewing within {notice} day{'s' if notice != 1 else ''}, "
        "overdue first.",
        items=items,
        total=total,
    )
