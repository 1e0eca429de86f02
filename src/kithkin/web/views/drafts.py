"""Drafts ready to copy (for a follow-up, or a person and a kind), marking them sent, the
prep brief, and the network's message templates in Settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.models import ContactPoint, FollowUp, MessageTemplate, Person
from kithkin.queries.brief import prep_brief
from kithkin.queries.people import me_in
from kithkin.services.drafts import (
    NEEDS,
    PLACEHOLDERS,
    Draft,
    DraftContext,
    DraftWords,
    draft_for,
    draft_for_follow_up,
    follow_up_with_draft,
    mark_draft_sent,
    render_template,
    words_for,
)
from kithkin.services.message_templates import (
    BODY_MAX,
    SUBJECT_MAX,
    SUBJECT_ONLY,
    reset_template,
    save_template,
    templates_of,
    validate_template,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import add_service_error
from kithkin.web.views.common import require_write, today_of

Kind = MessageTemplate.Kind
# The records a draft can be about, passed along as ?exchange=12 and the like.
ABOUT = ("exchange", "milestone", "opportunity")


# Drafts ----------------------------------------------------------------------------------


def _kind(data: QueryDict) -> str | None:
    kind = data.get("kind", "").strip()
    return kind or None


def _about(
    request: NetworkRequest, person: Person, data: QueryDict
) -> tuple[DraftWords, dict[str, str]]:
    """The draft's words about the records named in ``data`` (each loaded through
    access.py, and each about ``person``), and those ids to carry along to "Mark as
    sent"."""
    ids = {name: str(data.get(name, "")) for name in ABOUT}
    ids = {name: value for name, value in ids.items() if value.isdigit()}
    records: dict[str, Any] = {}
    if "exchange" in ids:
        records["exchange"] = access.value_exchange_for(
            request.user, request.network, int(ids["exchange"])
        )
    if "milestone" in ids:
        records["milestone"] = access.milestone_for(
            request.user, request.network, int(ids["milestone"])
        )
    if "opportunity" in ids:
        records["opportunity"] = access.opportunity_for(
            request.user, request.network, int(ids["opportunity"])
        )
    words = words_for(person, **records)
    key = str(data.get("occasion", "")).strip()
    if key and "milestone" not in ids:  # a birthday or a work anniversary: "birthday:2026"
        ids["occasion"] = key[:60]
    return words, ids


def _person_draft(
    request: NetworkRequest, person: Person, data: QueryDict
) -> tuple[Draft, dict[str, str]]:
    """The draft for ``person`` that ``data`` asks for, and the ids it is about."""
    words, ids = _about(request, person, data)
    kind = _kind(data) or Kind.CHECK_IN
    draft = draft_for(request.network, person, kind, occasion_key=ids.get("occasion", ""), **words)
    return draft, ids


def _primary_email(person: Person) -> str:
    point = (
        ContactPoint.objects.filter(person=person, kind=ContactPoint.Kind.EMAIL)
        .order_by("-is_primary", "id")
        .first()
    )
    return point.normalized if point else ""


def _mailto(email: str, draft: Draft) -> str:
    query = f"subject={quote(draft.subject, safe='')}&body={quote(draft.body, safe='')}"
    return f"mailto:{quote(email, safe='@')}?{query}"


def _draft_page(
    request: NetworkRequest,
    *,
    person: Person,
    draft: Draft,
    follow_up: FollowUp | None,
    kind_url: str,
    sent_url: str,
    carry: dict[str, str],
) -> HttpResponse:
    email = _primary_email(person)
    return render(
        request,
        "kithkin/draft.html",
        {
            "person": person,
            "draft": draft,
            "kind_label": Kind(draft.kind).label if draft.kind in Kind.values else draft.kind,
            "follow_up": follow_up,
            "kinds": [
                (kind, label, f"{kind_url}?{urlencode({**carry, 'kind': kind})}")
                for kind, label in Kind.choices
                if kind not in NEEDS or NEEDS[kind] in carry  # no share without its record
            ],
            "email": email,
            "mailto": _mailto(email, draft) if email else "",
            "sent_url": sent_url,
            "carry": sorted(carry.items()),
        },
    )


@network_view()
def person_draft(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    kind = _kind(request.GET)
    if kind is None and not any(name in request.GET for name in ABOUT):
        pending = follow_up_with_draft(request.network, person)
        if pending is not None:  # the draft stored with what I owe them
            return redirect("follow_up_draft", pending.pk)
    if kind is not None and kind not in Kind.values:
        raise Http404(f"No kind of draft called {kind!r}.")
    try:
        draft, ids = _person_draft(request, person, request.GET)
    except InvalidInput as exc:
        raise Http404(str(exc)) from exc
    return _draft_page(
        request,
        person=person,
        draft=draft,
        follow_up=None,
        kind_url=reverse("person_draft", args=[person.pk]),
        sent_url=reverse("person_draft_sent", args=[person.pk]),
        carry=ids,
    )


@network_view(write=True)
def person_draft_sent(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    try:
        draft, _ = _person_draft(request, person, request.POST)
        sent = mark_draft_sent(request.network, request.user, person=person, draft=draft)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("person", person.pk)
    messages.success(
        request,
        f"Logged your {sent.interaction.get_kind_display()} to {person.full_name}: "
        f"“{sent.interaction.summary}”.",
    )
    return redirect("person", person.pk)


def _follow_up_person(follow_up: FollowUp) -> Person:
    person = follow_up.people.order_by("is_self", "full_name", "pk").first()
    if person is None:
        raise Http404("That follow-up is owed to no one any more.")
    return person


@network_view()
def follow_up_draft(request: NetworkRequest, follow_up_id: int) -> HttpResponse:
    follow_up = access.follow_up_for(request.user, request.network, follow_up_id)
    person = _follow_up_person(follow_up)
    kind = _kind(request.GET)
    if kind is not None and kind not in Kind.values:
        raise Http404(f"No kind of draft called {kind!r}.")
    try:
        draft = draft_for_follow_up(request.network, follow_up, person, kind)
    except InvalidInput as exc:
        raise Http404(str(exc)) from exc
    return _draft_page(
        request,
        person=person,
        draft=draft,
        follow_up=follow_up,
        kind_url=reverse("follow_up_draft", args=[follow_up.pk]),
        sent_url=reverse("follow_up_sent", args=[follow_up.pk]),
        carry={},
    )


@network_view(write=True)
def follow_up_sent(request: NetworkRequest, follow_up_id: int) -> HttpResponse:
    follow_up = access.follow_up_for(request.user, request.network, follow_up_id)
    person = _follow_up_person(follow_up)
    try:
        draft = draft_for_follow_up(request.network, follow_up, person, _kind(request.POST))
        sent = mark_draft_sent(
            request.network, request.user, person=person, draft=draft, follow_up=follow_up
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("person", person.pk)
    note = f" Next one due {sent.next_follow_up.due_on:%-d %b}." if sent.next_follow_up else ""
    messages.success(
        request,
        f"Logged your {sent.interaction.get_kind_display()} to {person.full_name} "
        f"and closed “{follow_up.title}”.{note}",
    )
    return redirect("person", person.pk)


# The prep brief --------------------------------------------------------------------------


@network_view()
def person_brief(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    return render(
        request,
        "kithkin/brief.html",
        {"brief": prep_brief(request.network, person, today_of(request))},
    )


# Message templates -----------------------------------------------------------------------


class TemplateForm(forms.Form):
    subject = forms.CharField(max_length=SUBJECT_MAX, strip=False)
    body = forms.CharField(
        max_length=BODY_MAX, strip=False, widget=forms.Textarea(attrs={"rows": 12})
    )


def _template_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404(f"No kind of draft called {kind!r}.")
    return kind


def _sample(request: NetworkRequest) -> DraftContext:
    """A made-up person to preview a template with: no one's private data."""
    sample = Person(
        full_name="Ada Lovelace",
        given_name="Ada",
        what_matters="her compiler project",
        how_we_met="at the Analytical Engines meetup",
    )
    me = me_in(request.network)
    return DraftContext(
        person=sample,
        me=me,
        event="PyCon 2026",
        last_topic="Call with Ada about the future of compilers",
        last_kind="call",
        learned="she is hiring",
        occasion="your promotion to VP Engineering",
        occasion_kind="promotion",
        thanks_for="introducing me to Grace",
        opportunity="Staff engineer at Babbage & Co",
        opportunity_url="https://example.org/jobs/42",
    )


def _preview(request: NetworkRequest, kind: str, subject: str, body: str) -> dict[str, Any]:
    try:
        template = validate_template(kind, subject, body)
    except InvalidInput as exc:
        return {"preview": None, "preview_error": str(exc)}
    return {"preview": render_template(kind, template, _sample(request)), "preview_error": ""}


@network_view()
def message_templates(request: NetworkRequest) -> HttpResponse:
    return render(
        request, "kithkin/message_templates.html", {"entries": templates_of(request.network)}
    )


@network_view(form=True)
def message_template(request: NetworkRequest, kind: str) -> HttpResponse:
    kind = _template_kind(kind)
    entry = next(e for e in templates_of(request.network) if e.kind == kind)
    if request.method == "POST":
        require_write(request)
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                save_template(
                    request.network,
                    request.user,
                    kind,
                    form.cleaned_data["subject"],
                    form.cleaned_data["body"],
                )
            except InvalidInput as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"Saved the {entry.label} template.")
                return redirect("message_templates")
    else:
        form = TemplateForm(
            initial={"subject": entry.template.subject, "body": entry.template.body}
        )
    subject = form["subject"].value() or ""
    body = form["body"].value() or ""
    return render(
        request,
        "kithkin/message_template.html",
        {
            "entry": entry,
            "form": form,
            "placeholders": [
                (name, meaning) for name, meaning in {**PLACEHOLDERS, **SUBJECT_ONLY}.items()
            ],
            **_preview(request, kind, subject, body),
        },
    )


@network_view()
def message_template_preview(request: NetworkRequest, kind: str) -> HttpResponse:
    """The preview as the template is being typed (htmx), for the sample person."""
    kind = _template_kind(kind)
    current = next(e for e in templates_of(request.network) if e.kind == kind).template
    subject = request.GET.get("subject", current.subject)
    body = request.GET.get("body", current.body)
    return render(
        request,
        "kithkin/message_template_preview.html",
        _preview(request, kind, subject[: SUBJECT_MAX * 2], body[: BODY_MAX * 2]),
    )


@network_view(write=True)
def message_template_reset(request: NetworkRequest, kind: str) -> HttpResponse:
    kind = _template_kind(kind)
    if reset_template(request.network, request.user, kind):
        messages.success(request, f"Back to the default {Kind(kind).label} template.")
    return redirect("message_templates")
