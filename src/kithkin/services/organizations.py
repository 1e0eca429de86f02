"""Organizations themselves: add one, edit or rename it, merge two, delete one.

Two names are one organization when ``queries.memberships.organization_key`` says so (case,
accents and spacing aside); adding or renaming refuses a name another organization has.
A merge keeps everything of both — every affiliation (jobs, memberships, schools...), tag,
event organized and opportunity — on the kept organization; ``preview_organization_merge``
computes the plan without writing and ``merge_organizations`` applies the same plan in one
transaction. Deleting an organization people are affiliated with removes those
affiliations, so it is refused unless forced; ``deletion_preview`` says what goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from kithkin import access, normalize, weblinks
from kithkin.errors import InvalidInput
from kithkin.models import Affiliation, Event, Network, Opportunity, Organization, User
from kithkin.queries.memberships import organization_named
from kithkin.services import changes
from kithkin.services.contact_rules import organization_name
from kithkin.services.merge import combine_ties, fresh_pair, same_tie
from kithkin.services.tags import get_or_create_tags

NAME_LIMIT = 200  # Organization.name; contact_rules.organization_name holds names to it

# Every relation that points at an Organization, and so every one a merge moves (and a
# deletion reports). A test fails when a model gains one that is not listed here.
MERGED_RELATIONS = frozenset(
    {
        "kithkin.Affiliation.organization",
        "kithkin.Event.organizer",
        "kithkin.Opportunity.organization",
    }
)
# Links held on Organization itself (many-to-many) that a merge carries over.
MERGED_LINKS = frozenset({"tags"})


def clean_name(name: str, field: str = "name") -> str:
    """An organization's name as stored (contact_rules.organization_name)."""
    return organization_name(name, field)


def clean_kind(kind: str) -> str:
    value = kind.strip().lower()
    aliases = {"professional association": "association", "professional-association": "association"}
    value = aliases.get(value, value)
    if value not in Organization.Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Organization.Kind.values)}")
    return value


def _website(website: str) -> str:
    if not website.strip():
        return ""
    return weblinks.web_link(normalize.url(website, "website")[0], "website")


def _free_name(
    network: Network, name: str, organization: Organization | None = None, field: str = "name"
) -> str:
    """``name`` cleaned, if no other organization has it (see organization_key)."""
    cleaned = clean_name(name, field)
    taken = organization_named(network, cleaned, exclude=organization)
    if taken is not None:
        hint = "; merge the two to make them one" if organization is not None else ""
        raise InvalidInput(
            field, f"{taken.name} is already an organization in {network.name}{hint}"
        )
    return cleaned


@transaction.atomic
def create_organization(
    network: Network,
    actor: User,
    *,
    name: str,
    kind: str = Organization.Kind.COMPANY,
    website: str = "",
    tags: Sequence[str] = (),
    notes: str = "",
) -> Organization:
    """A new organization; its name must not be taken (case, accents and spacing aside)."""
    access.require_write(actor, network)
    cleaned = _free_name(network, name)
    organization = Organization.objects.create(
        network=network,
        name=cleaned,
        kind=clean_kind(kind),
        website=_website(website),
        notes=notes.strip(),
    )
    if tags:
        organization.tags.add(*get_or_create_tags(network, tags))
    changes.record(network, "organization.created", actor=actor, record_id=organization.pk)
    return organization


def _affiliated_people(organization: Organization) -> list[int]:
    return list(
        Affiliation.objects.filter(organization=organization)
        .values_list("person_id", flat=True)
        .distinct()
    )


@transaction.atomic
def edit_organization(
    network: Network,
    actor: User,
    organization: Organization,
    *,
    name: str | None = None,
    kind: str | None = None,
    website: str | None = None,
    notes: str | None = None,
    tags: Sequence[str] | None = None,
) -> Organization:
    """Change what is given (None: leave as is; ``tags`` replaces them all). Every value is
    checked before the first write. A new name must not be another organization's: merge
    them instead."""
    access.require_write(actor, network)
    access.require_in_network(network, organization)
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = _free_name(network, name, organization)
    if kind is not None:
        values["kind"] = clean_kind(kind)
    if website is not None:
        values["website"] = _website(website)
    if notes is not None:
        values["notes"] = notes.strip()
    new_tags = get_or_create_tags(network, tags, "tags") if tags is not None else None
    changed = [column for column, value in values.items() if getattr(organization, column) != value]
    for column, value in values.items():
        setattr(organization, column, value)
    if values:
        organization.save(update_fields=list(values))
    if new_tags is not None:
        organization.tags.set(new_tags)
        changed.append("tags")
    if changed:  # people are found by the names of the organizations they are at
        changes.record(
            network,
            "organization.updated",
            actor=actor,
            record_id=organization.pk,
            person_ids=_affiliated_people(organization),
            data={"fields": changed},
        )
    return organization


def rename_organization(
    network: Network, actor: User, organization: Organization, name: str
) -> Organization:
    """Give an organization a new name (one no other organization has)."""
    return edit_organization(network, actor, organization, name=name)


# Merge -----------------------------------------------------------------------------------


@dataclass
class OrganizationMergePreview:
    """What ``keep`` gets from ``other``; nothing is written to compute it."""

    keep: Organization
    other: Organization
    affiliations_moved: list[Affiliation]
    # The other's affiliations that repeat one of the kept one's for the same person.
    affiliations_combined: list[tuple[Affiliation, Affiliation]]
    tags_added: list[str]
    events_moved: list[Event]
    opportunities_moved: list[Opportunity]
    fields_filled: dict[str, str]  # label -> the value the kept organization gets
    values: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def people(self) -> int:
        """How many people's ties move (or are combined)."""
        return len(
            {a.person_id for a in self.affiliations_moved}
            | {a.person_id for a, _ in self.affiliations_combined}
        )


def preview_organization_merge(
    network: Network, actor: User, keep: Organization, other: Organization
) -> OrganizationMergePreview:
    """What merging ``other`` into ``keep`` would do. Reads only."""
    access.membership(actor, network)
    keep, other = fresh_pair(network, Organization, keep, other, "organization")
    return _plan(keep, other)


@transaction.atomic
def merge_organizations(
    network: Network, actor: User, keep: Organization, other: Organization
) -> Organization:
    """Merge ``other`` into ``keep``: every affiliation, tag, event and opportunity of
    ``other`` moves to ``keep`` (a tie recorded at both is kept once, its blanks filled);
    ``keep``'s own details win and ``other``'s fill its blanks; ``other`` is deleted."""
    access.require_write(actor, network)
    keep, other = fresh_pair(network, Organization, keep, other, "organization", lock=True)
    plan = _plan(keep, other)
    people = _affiliated_people(other)
    for affiliation in plan.affiliations_moved:
        affiliation.organization = keep
    Affiliation.objects.bulk_update(plan.affiliations_moved, ["organization"])
    for theirs, mine in plan.affiliations_combined:
        combine_ties(mine, theirs)
        theirs.delete()
    keep.tags.add(*other.tags.all())
    Event.objects.filter(organizer=other).update(organizer=keep)
    Opportunity.objects.filter(organization=other).update(organization=keep)
    for column, value in plan.values.items():
        setattr(keep, column, value)
    if plan.values:
        keep.save(update_fields=list(plan.values))
    merged = other.pk
    other.delete()
    changes.record(
        network,
        "organization.merged",
        actor=actor,
        record_id=keep.pk,
        person_ids=people,
        data={"merged_id": merged},
    )
    keep.refresh_from_db()
    return keep


def _plan(keep: Organization, other: Organization) -> OrganizationMergePreview:
    kept_ties: dict[int, list[Affiliation]] = {}
    for affiliation in Affiliation.objects.filter(organization=keep):
        kept_ties.setdefault(affiliation.person_id, []).append(affiliation)
    moved: list[Affiliation] = []
    combined: list[tuple[Affiliation, Affiliation]] = []
    for affiliation in Affiliation.objects.filter(organization=other).select_related("person"):
        match = next(
            (
                a
                for a in kept_ties.get(affiliation.person_id, [])
                if same_tie(a, affiliation, any_organization=True)
            ),
            None,
        )
        if match is None:
            moved.append(affiliation)
        else:
            combined.append((affiliation, match))
    kept_tags = set(keep.tags.values_list("pk", flat=True))
    values: dict[str, object] = {}
    filled: dict[str, str] = {}
    if other.website and not keep.website:
        values["website"] = filled["website"] = other.website
    if other.notes.strip() and other.notes.strip() not in keep.notes:
        values["notes"] = "\n\n".join(t for t in (keep.notes.rstrip(), other.notes.strip()) if t)
        filled["notes"] = other.notes.strip()
    if other.created_at < keep.created_at:
        values["created_at"] = other.created_at
    return OrganizationMergePreview(
        keep=keep,
        other=other,
        affiliations_moved=moved,
        affiliations_combined=combined,
        tags_added=[t.name for t in other.tags.order_by("name") if t.pk not in kept_tags],
        events_moved=list(Event.objects.filter(organizer=other).order_by("-starts_on", "pk")),
        opportunities_moved=list(Opportunity.objects.filter(organization=other).order_by("pk")),
        fields_filled=filled,
        values=values,
    )


# Delete ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationDeletion:
    """What deleting an organization removes (affiliations) and unlinks (events,
    opportunities, tags). Nothing is written to compute it."""

    organization: Organization
    affiliations: list[Affiliation]  # with their people; mine too
    events: int  # events it organized: they stay, without an organizer
    opportunities: int  # opportunities at it: they stay, without an organization
    tags: list[str]

    @property
    def people(self) -> list[str]:
        """The names of the people whose ties go, each once, in order."""
        return list(dict.fromkeys(a.person.full_name for a in self.affiliations))


def deletion_preview(
    network: Network, actor: User, organization: Organization
) -> OrganizationDeletion:
    access.membership(actor, network)
    access.require_in_network(network, organization)
    return OrganizationDeletion(
        organization=organization,
        affiliations=list(
            Affiliation.objects.filter(organization=organization)
            .select_related("person")
            .order_by("person__full_name", "pk")
        ),
        events=Event.objects.filter(organizer=organization).count(),
        opportunities=Opportunity.objects.filter(organization=organization).count(),
        tags=list(organization.tags.order_by("name").values_list("name", flat=True)),
    )


@transaction.atomic
def delete_organization(
    network: Network, actor: User, organization: Organization, *, force: bool = False
) -> OrganizationDeletion:
    """Delete an organization and every affiliation with it; events and opportunities stay,
    unlinked. Refused while people are affiliated with it, unless ``force``."""
    access.require_write(actor, network)
    deletion = deletion_preview(network, actor, organization)
    people = deletion.people
    if people and not force:
        shown = ", ".join(people[:5]) + (f" and {len(people) - 5} more" if len(people) > 5 else "")
        raise InvalidInput(
            "force",
            f"{len(people)} {'person is' if len(people) == 1 else 'people are'} affiliated with "
            f"{organization.name} ({shown}); deleting it removes "
            f"{'that tie' if len(deletion.affiliations) == 1 else 'those ties'}",
        )
    ids = {a.person_id for a in deletion.affiliations}
    deleted = organization.pk
    organization.delete()  # affiliations cascade; events and opportunities are set null
    changes.record(network, "organization.deleted", actor=actor, record_id=deleted, person_ids=ids)
    return deletion
