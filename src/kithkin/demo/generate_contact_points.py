"""Ways to reach a demo person: a work or personal email address on a reserved domain,
a phone number from the range reserved for drama (+44 7700 900xxx), a LinkedIn profile,
sometimes a personal website. Values are already in their normalized form."""

from __future__ import annotations

from kithkin.demo import data
from kithkin.demo.generate_organizations import ascii_slug
from kithkin.demo.plan import Demo, OrganizationPlan
from kithkin.models import ContactPoint

# Ofcom's ranges reserved for drama: (as shown, as E.164), each followed by 000..999.
_DRAMA_RANGES = (
    ("+44 7700 900", "+447700900"),
    ("+44 20 7946 0", "+442079460"),
    ("+44 113 496 0", "+441134960"),
    ("+44 114 496 0", "+441144960"),
    ("+44 115 496 0", "+441154960"),
    ("+44 116 496 0", "+441164960"),
    ("+44 117 496 0", "+441174960"),
    ("+44 118 496 0", "+441184960"),
    ("+44 121 496 0", "+441214960"),
    ("+44 131 496 0", "+441314960"),
    ("+44 141 496 0", "+441414960"),
    ("+44 151 496 0", "+441514960"),
    ("+44 161 496 0", "+441614960"),
    ("+44 191 498 0", "+441914980"),
    ("+44 28 9649 6", "+442896496"),
    ("+44 29 2018 0", "+442920180"),
)
DRAMA_NUMBERS = 1000 * len(_DRAMA_RANGES)


def drama_phone_number(index: int) -> tuple[str, str]:
    """(shown, E.164) of the index-th number reserved for fiction."""
    shown, e164 = _DRAMA_RANGES[index // 1000]
    return f"{shown}{index % 1000:03d}", f"{e164}{index % 1000:03d}"


def _unused_phone(rng: object, taken: dict[str, int]) -> tuple[str, str]:
    """A drama number nobody in this demo has yet (reused only once all are taken)."""
    for _ in range(50):
        shown, e164 = drama_phone_number(rng.randrange(DRAMA_NUMBERS))  # type: ignore[attr-defined]
        if f"tel:{e164}" not in taken:
            break
    taken[f"tel:{e164}"] = taken.get(f"tel:{e164}", 0) + 1
    return shown, e164


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
        for number in range(2 if rng.random() < 0.1 else 1):
            shown, e164 = _unused_phone(rng, addresses)
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
