"""vCard export: 4.0 by default, 3.0 for older address books. Written with vobject."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import vobject

from kithkin import chat_services, photos
from kithkin.exporters.people_rows import exported_people
from kithkin.models import ContactPoint, Network, Person

_PLACE_PARTS = ("city", "region", "code", "country")  # vobject's names, in ADR's order
# Label words the importer reads back from TYPE (importers/vcard.py); any other label is
# written the way Apple does, as an X-ABLabel of the property's group.
_TYPE_WORDS = {"home", "work", "other", "mobile", "cell", "iphone", "main", "fax", "pager", "car"}


def _point_properties(
    card: vobject.base.Component, point: ContactPoint, version: str, location: str
) -> Iterator[vobject.base.ContentLine]:
    """The properties that say one contact point: none for a kind vCard has no word for."""
    if point.kind == ContactPoint.Kind.EMAIL:
        prop = card.add("email")
        prop.value = point.value
        yield prop
    elif point.kind == ContactPoint.Kind.PHONE:
        prop = card.add("tel")
        # As shown: "+1 418-656-9254 ext. 102" keeps its extension (E.164 has none), and an
        # unverified phone is written as it was found; both read back the same.
        prop.value = point.value
        yield prop
    elif point.kind in (ContactPoint.Kind.URL, ContactPoint.Kind.SOCIAL):
        prop = card.add("url")
        prop.value = point.value  # canonical for profiles; a website as it was given
        yield prop
    elif point.kind == ContactPoint.Kind.ADDRESS:
        prop = card.add("adr")
        prop.value = _address(point.value.split("\n"), location)
        yield prop
    elif point.kind == ContactPoint.Kind.CHAT:
        yield from _chat_properties(card, point, version)


def _address(lines: list[str], location: str) -> vobject.vcard.Address:
    """ADR parts of an address kept as lines (importers/vcard.py: the card's non-empty
    parts in order). Its last lines are the locality, region, postal code and country when
    they are what the person's location says ("London, United Kingdom": the address it
    came from); else every line is the street. Both read back as the same lines."""
    if not location:
        return vobject.vcard.Address(street="\n".join(lines))
    for size in range(min(len(_PLACE_PARTS), len(lines)), 0, -1):
        for roles in itertools.combinations(_PLACE_PARTS, size):
            parts = dict(zip(roles, lines[-size:], strict=True))
            place = ", ".join(
                parts[role] for role in ("city", "region", "country") if role in parts
            )
            if place == location:
                return vobject.vcard.Address(street="\n".join(lines[:-size]), **parts)
    return vobject.vcard.Address(street="\n".join(lines))


def _chat_properties(
    card: vobject.base.Component, point: ContactPoint, version: str
) -> Iterator[vobject.base.ContentLine]:
    """IMPP with the service's scheme and Apple's X-SERVICE-TYPE (RFC 4770; what Apple,
    Google, Nextcloud, eM Client and Thunderbird read). vCard 3.0 adds the service's own
    X- property (X-SKYPE-USERNAME, X-JABBER...): Android's reader takes chat handles only
    from those, and 3.0 is what Kithkin writes for older address books."""
    impp = card.add("impp")
    impp.value = chat_services.impp_value(point.value, point.service)
    impp.params["X-SERVICE-TYPE"] = [chat_services.display_name(point.service)]
    yield impp
    known = chat_services.BY_KEY.get(point.service)
    if version == "3.0" and known and known.x_property:
        legacy = card.add(known.x_property.lower())
        legacy.value = point.value
        yield legacy


def _label(
    card: vobject.base.Component,
    prop: vobject.base.ContentLine,
    label: str,
    groups: Iterator[int],
) -> None:
    """``label`` as TYPE values when the importer reads it back from them ("home mobile"
    is TYPE=home,mobile), else as Apple's grouped X-ABLabel."""
    words = label.split()
    if not words:
        return
    if set(words) <= _TYPE_WORDS:
        prop.params["TYPE"] = words
        return
    prop.group = f"item{next(groups)}"
    apple_label = card.add("x-ablabel")
    apple_label.value = label
    apple_label.group = prop.group


def _birthday(person: Person, version: str) -> str | None:
    if not (person.birthday_month and person.birthday_day):
        return None
    month_day = f"{person.birthday_month:02d}{person.birthday_day:02d}"
    if person.birthday_year:
        year = f"{person.birthday_year:04d}"
        return (
            f"{year}{month_day}" if version == "4.0" else f"{year}-{month_day[:2]}-{month_day[2:]}"
        )
    # 3.0 has no date without a year: Apple's form (year 1604, X-APPLE-OMIT-YEAR), which
    # iOS, macOS, DAVx5 and the importer read as "no year".
    return f"--{month_day}" if version == "4.0" else f"1604-{month_day[:2]}-{month_day[2:]}"


def person_uid(person: Person, network: Network) -> str:
    """The UID of a person's card, unless a contacts program gave it one (CardDAV)."""
    return f"urn:kithkin:{network.pk}:person:{person.pk}"


def person_card(
    person: Person, network: Network, version: str = "4.0", *, uid: str = ""
) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("version").value = version
    card.add("uid").value = uid or person_uid(person, network)
    card.add("fn").value = person.full_name
    card.add("n").value = vobject.vcard.Name(family=person.family_name, given=person.given_name)
    if person.nickname:
        card.add("nickname").value = person.nickname
    groups = itertools.count(1)
    for point in person.contact_points.all():
        for prop in _point_properties(card, point, version, person.location):
            _label(card, prop, point.label, groups)
    current = [a for a in person.affiliations.all() if a.end_on is None]
    if current:
        card.add("org").value = [current[0].organization.name]
        if current[0].title:
            card.add("title").value = current[0].title
    elif person.headline:  # what a card without ORG says the person does (TITLE:Detective)
        card.add("title").value = person.headline
    birthday = _birthday(person, version)
    if birthday:
        bday = card.add("bday")
        bday.value = birthday
        if birthday.startswith("1604-"):
            bday.params["X-APPLE-OMIT-YEAR"] = ["1604"]
    tags = [tag.name for tag in person.tags.all()]
    if tags:
        card.add("categories").value = tags
    if person.notes:
        card.add("note").value = person.notes
    if person.photo_digest:
        _photo(card, bytes(person.photo.image), version)
    return card


def _photo(card: vobject.base.Component, image: bytes, version: str) -> None:
    """PHOTO inline: 3.0's ``ENCODING=b;TYPE=JPEG`` base64 (vobject encodes and folds it),
    4.0's data: URI (written as it is: its ";" and "," are no text to escape)."""
    prop = card.add("photo")
    if version == "3.0":
        prop.value = bytes(image)
        prop.encoding_param = "b"
        prop.type_param = "JPEG"
    else:
        prop.value = photos.data_uri(bytes(image))
        prop.encoded = True


def export_vcards(network: Network, *, version: str = "4.0") -> str:
    if version not in {"3.0", "4.0"}:
        raise ValueError(f"vCard version {version} is not one Kithkin writes")
    return "".join(
        person_card(p, network, version).serialize() for p in exported_people(network, photos=True)
    )
