"""CSV export, one person a row, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from kithkin.exporters.people_rows import exported_people
from kithkin.models import ContactPoint, Network

COLUMNS = [
    "name",
    "given name",
    "family name",
    "emails",
    "phones",
    "profiles",
    "addresses",
    "chats",
    "organization",
    "title",
    "circle",
    "cadence days",
    "tags",
    "location",
    "connected on",
    "last interaction",
    "check-in due",
    "how we met",
    "what matters",
    "notes",
    "archived",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a would-be formula with a quote so spreadsheets show it as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_csv(network: Network) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for person in exported_people(network):
        points = list(person.contact_points.all())

        def of(*kinds: str, points: list[ContactPoint] = points) -> str:
            return "; ".join(p.value for p in points if p.kind in kinds)

        current = next((a for a in person.affiliations.all() if a.end_on is None), None)
        row = [
            person.full_name,
            person.given_name,
            person.family_name,
            of(ContactPoint.Kind.EMAIL),
            of(ContactPoint.Kind.PHONE),
            of(ContactPoint.Kind.SOCIAL, ContactPoint.Kind.URL),
            "; ".join(
                p.value.replace("\n", ", ") for p in points if p.kind == ContactPoint.Kind.ADDRESS
            ),
            "; ".join(
                f"{p.value} ({p.service_name})" for p in points if p.kind == ContactPoint.Kind.CHAT
            ),
            current.organization.name if current else "",
            current.title if current else "",
            person.circle.name if person.circle else "",
            str(person.cadence_days or ""),
            "; ".join(tag.name for tag in person.tags.all()),
            person.location,
            person.connected_on.isoformat() if person.connected_on else "",
            person.last_interaction_at.date().isoformat() if person.last_interaction_at else "",
            person.check_in_due_on.isoformat() if person.check_in_due_on else "",
            person.how_we_met,
            person.what_matters,
            person.notes,
            "yes" if person.archived_at else "",
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
