"""Ways to reach a demo person: a work or personal email address on a reserved domain,
a phone number from the range reserved for drama (+44 7700 900xxx), a LinkedIn profile,
sometimes a personal website. Values are already in their normalized form."""

from __future__ import annotations

from functools import cache

from kithkin import normalize
from kithkin.demo import data
from kithkin.demo.generate_organizations import ascii_slug
from kithkin.demo.plan import Demo, OrganizationPlan
from kithkin.models import ContactPoint


@cache
def drama_phone_numbers() -> tuple[tuple[str, str], ...]:
    """(shown, E.164) for +44 7700 900000..900999, numbers reserved for fiction."""
    return tuple(normalize.phone(f"+44 7700 900{number:03d}") for number in range(1000))


def _unique_address(local: str, domain: str, taken: dict[str, int]) -> str:
    address = f"{local}@{domain}"
    seen = taken.get(address, 0)
    taken[address] = seen + 1
    return address if seen == 0 else f"{local}{seen + 1}@{domain}"


def draw_contact_points(
    demo: Demo,
    given: str,
    family: str,
    organization: OrganizationPlan | None,
    addresses: dict[str, int],
) -> list[ContactPoint]:
    rng = demo.rng
    points = []
    given_slug, family_slug = ascii_slug(given, ""), ascii_slug(family, "")
    if rng.random() < 0.80:
        domains = [organization.domain] if organization else []
        if not domains or rng.random() < 0.15:
            domains.append(rng.choice(data.PERSONAL_EMAIL_DOMAINS))
        for number, domain in enumerate(domains):
            address = _unique_address(f"{given_slug}.{family_slug}", domain, addresses)
            label = "work" if organization and domain == organization.domain else "personal"
            points.append(
                ContactPoint(
                    kind=ContactPoint.Kind.EMAIL,
                    label=label,
                    value=address,
                    normalized=address,
                    is_primary=number == 0,
                )
            )
    if rng.random() < 0.35:
        numbers = rng.sample(range(1000), 2 if rng.random() < 0.1 else 1)
        for number, drama in enumerate(numbers):
            shown, e164 = drama_phone_numbers()[drama]
            points.append(
                ContactPoint(
                    kind=ContactPoint.Kind.PHONE,
                    value=shown,
                    label="mobile" if number == 0 else "work",
                    normalized=e164,
                    is_primary=number == 0,
                )
            )
    if rng.random() < 0.70:
        profile = (
            f"https://www.linkedin.com/in/{given_slug}-{family_slug}-{rng.getrandbits(24):06x}"
        )
        points.append(
            ContactPoint(
                kind=ContactPoint.Kind.SOCIAL,
                service="linkedin",
                value=profile,
                normalized=profile,
                is_primary=True,
            )
        )
    if rng.random() < 0.06:
        site = f"https://{given_slug}{family_slug}.example"
        points.append(
            ContactPoint(
                kind=ContactPoint.Kind.URL,
                service="website",
                value=site,
                normalized=site,
                is_primary=True,
            )
        )
    return points
