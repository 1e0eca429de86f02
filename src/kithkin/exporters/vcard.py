"""vCard export: 4.0 by default, 3.0 for older address books. Written with vobject."""

from __future__ import annotations

import vobject

from kithkin.exporters.people_rows import exported_people
from kithkin.models import ContactPoint, Network, Person


def _birthday(person: Person, version: str) -> str | None:
    if not (person.birthday_month and person.birthday_day):
        return None
    month_day = f"{person.birthday_month:02d}{person.birthday_day:02d}"
    if person.birthday_year:
        year = f"{person.birthday_year:04d}"
        return (
            f"{year}{month_day}" if version == "4.0" else f"{year}-{month_day[:2]}-{month_day[2:]}"
        )
    return f"--{month_day}" if version == "4.0" else f"--{month_day[:2]}-{month_day[2:]}"


def person_card(person: Person, network: Network, version: str = "4.0") -> vobject.base.Component:
    card = vobject.vCard()
    card.add("version").value = version
    card.add("uid").value = f"urn:kithkin:{network.pk}:person:{person.pk}"
    card.add("fn").value = person.full_name
    card.add("n").value = vobject.vcard.Name(family=person.family_name, given=person.given_name)
    if person.nickname:
        card.add("nickname").value = person.nickname
    for point in person.contact_points.all():
        if point.kind == ContactPoint.Kind.EMAIL:
            prop = card.add("email")
            prop.value = point.value
        elif point.kind == ContactPoint.Kind.PHONE:
            prop = card.add("tel")
            prop.value = point.normalized if version == "4.0" else point.value
        elif point.kind in (ContactPoint.Kind.URL, ContactPoint.Kind.SOCIAL):
            prop = card.add("url")
            prop.value = point.normalized
        else:
            continue
        if point.label:
            prop.type_param = point.label
    current = [a for a in person.affiliations.all() if a.end_on is None]
    if current:
        card.add("org").value = [current[0].organization.name]
        if current[0].title:
            card.add("title").value = current[0].title
    birthday = _birthday(person, version)
    if birthday:
        card.add("bday").value = birthday
    tags = [tag.name for tag in person.tags.all()]
    if tags:
        card.add("categories").value = tags
    if person.notes:
        card.add("note").value = person.notes
    return card


def export_vcards(network: Network, *, version: str = "4.0") -> str:
    if version not in {"3.0", "4.0"}:
        raise ValueError(f"vCard version {version} is not one Kithkin writes")
    return "".join(person_card(p, network, version).serialize() for p in exported_people(network))
