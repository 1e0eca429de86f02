from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kithkin import weblinks
from kithkin.web.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def safe_url(url: str | None) -> str:
    """``url`` if it may be an href (http, https or mailto: ``weblinks.is_safe``), else
    "": every stored URL a template renders as a link goes through this."""
    return url if url and weblinks.is_safe(url) else ""


@register.filter
def initials(name: str) -> str:
    parts = [part for part in name.split() if part[:1].isalnum()]
    return "".join(part[0] for part in parts[:2]).upper() or "?"


@register.simple_tag
def face(person: object, size: str = "small") -> SafeString:
    """What goes inside an ``.avatar``: the person's photo (``size`` "small": the
    thumbnail; "full": the photo) from their row's ``photo_digest`` -- no query -- else
    their initials."""
    digest = getattr(person, "photo_digest", "")
    name = str(getattr(person, "full_name", ""))
    if not digest:
        return format_html("{}", initials(name))
    pk = getattr(person, "pk", None)
    if size == "small":
        url = reverse("person_photo_sized", args=[pk, digest, "small"])
    else:
        url = reverse("person_photo", args=[pk, digest])
    return format_html('<img class="face" src="{}" alt="" loading="lazy">', url)


@register.filter
def days_word(days: int) -> str:
    days = abs(days)
    return "1 day" if days == 1 else f"{days} days"


@register.simple_tag
def relative_day(day: dt.date | None, today: dt.date) -> str:
    if day is None:
        return ""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


@register.filter
def role_line(person: object) -> str:
    """'CTO at Analytical Engines · Speaker on compilers': current jobs, then the headline
    unless it only repeats them. Reads prefetched affiliations."""
    roles = [str(a) for a in person.affiliations.all() if a.end_on is None]  # type: ignore[attr-defined]
    headline = getattr(person, "headline", "")
    if headline and headline not in roles:
        roles.append(headline)
    return " · ".join(roles)
