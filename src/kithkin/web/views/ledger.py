"""The ledger page (value given and received, and the forms to record it), and the
ledger's actions on a person: record an exchange with them, thank them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Person, ValueExchange
from kithkin.queries.ledger import network_ledger
from kithkin.queries.people import resolve_person
from kithkin.services import ledger
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import DATE, add_service_error, error_text
from kithkin.web.views.common import done_or_redirect, require_write, today_of

WEIGHTS = [(n, f"{n}") for n in range(1, 6)]


class PersonExchangeForm(forms.Form):
    """An exchange with a person whose page this is: who gave, what, when, how much."""

    action = forms.ChoiceField(
        label="Who gave",
        choices=[("got", "They gave me"), ("give", "I gave them")],
        initial="got",
    )
    kind = forms.ChoiceField(label="What", choices=ValueExchange.Kind.choices)
    description = forms.CharField(
        label="Description", required=False, max_length=ledger.DESCRIPTION_LENGTH
    )
    on = forms.DateField(label="When", required=False, widget=DATE)
    weight = forms.TypedChoiceField(
        label="Weight",
        choices=WEIGHTS,
        coerce=int,
        initial=ledger.DEFAULT_WEIGHT,
        help_text="1 small … 5 life-changing",
    )


class ExchangeForm(PersonExchangeForm):
    """The ledger page's form: the people are named, and an introduction names two."""

    action = forms.ChoiceField(
        label="What happened",
        choices=[
            ("got", "Someone gave me"),
            ("give", "I gave someone"),
            ("intro", "I introduced two people"),
        ],
        initial="got",
    )
    person = forms.CharField(
        label="Who", max_length=200, help_text="A name or an email, as in search."
    )
    other = forms.CharField(
        label="Introduced to", required=False, max_length=200, help_text="For an introduction."
    )

    field_order = ["action", "person", "other", "kind", "description", "on", "weight"]


class ThanksWindowForm(forms.Form):
    days = forms.IntegerField(
        label="Remind me to thank within", min_value=0, max_value=ledger.MAX_THANKS_WINDOW
    )


def _resolve(request: NetworkRequest, form: forms.Form, field: str) -> Person | None:
    try:
        return resolve_person(request.network, form.cleaned_data[field])
    except Ambiguous as exc:
        form.add_error(field, f"{exc} Which one: {'; '.join(exc.candidates)}?")
    except NotFound as exc:
        hint = f" Did you mean {' or '.join(exc.suggestions)}?" if exc.suggestions else ""
        form.add_error(field, f"{exc}{hint}")
    return None


def _record(request: NetworkRequest, form: ExchangeForm) -> str | None:
    """Record what a valid ledger form says; the message to show, or None on an error
    (added to the form)."""
    data = form.cleaned_data
    if data["action"] == "intro" and not data["other"]:
        form.add_error("other", "Who did you introduce them to?")
        return None
    person = _resolve(request, form, "person")
    other = _resolve(request, form, "other") if data["action"] == "intro" else None
    if person is None or (data["action"] == "intro" and other is None):
        return None
    try:
        if data["action"] == "intro":
            assert other is not None
            done = ledger.introduce(
                request.network,
                request.user,
                person,
                other,
                note=data["description"],
                on=data["on"],
                weight=data["weight"],
                today=today_of(request),
            )
            return f"{done.interaction.summary}."
        record = ledger.give if data["action"] == "give" else ledger.got
        record(
            request.network,
            request.user,
            person,
            data["kind"],
            data["description"],
            on=data["on"],
            weight=data["weight"],
            today=today_of(request),
        )
    except InvalidInput as exc:
        add_service_error(form, exc)
        return None
    if data["action"] == "give":
        return f"Recorded: you gave {person.full_name} {data['kind']}."
    return f"Recorded: {person.full_name} gave you {data['kind']}. Remember to thank them."


@network_view(form=True)
def ledger_page(request: NetworkRequest) -> HttpResponse:
    day = today_of(request)
    form = ExchangeForm(request.POST or None, initial={"on": day})
    if request.method == "POST":
        require_write(request)
        if form.is_valid():
            message = _record(request, form)
            if message is not None:
                messages.success(request, message)
                return redirect("ledger")
    return render(
        request,
        "kithkin/ledger.html",
        {
            "ledger": network_ledger(request.network, day),
            "form": form,
            "today": day,
        },
    )


@network_view(write=True)
def ledger_thanks_window(request: NetworkRequest) -> HttpResponse:
    form = ThanksWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not change it: " + error_text(form))
        return redirect("ledger")
    days = form.cleaned_data["days"]
    try:
        ledger.set_thanks_window(request.network, request.user, days)
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Help now waits {days} days before Today asks you to thank.")
    return redirect("ledger")


@network_view(write=True)
def exchange_delete(request: NetworkRequest, exchange_id: int) -> HttpResponse:
    exchange = access.value_exchange_for(request.user, request.network, exchange_id)
    ledger.delete_exchange(request.network, request.user, exchange)
    messages.success(request, f"Removed the {exchange.kind} of {exchange.occurred_on:%-d %b}.")
    if request.POST.get("from") == "person":
        other = exchange.receiver if exchange.giver.is_self else exchange.giver
        return redirect("person", other.pk)
    return done_or_redirect(request, "ledger")


@network_view(write=True)
def person_exchange(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    form = PersonExchangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not record it: " + error_text(form))
        return redirect("person", person.pk)
    data = form.cleaned_data
    record = ledger.give if data["action"] == "give" else ledger.got
    try:
        record(
            request.network,
            request.user,
            person,
            data["kind"],
            data["description"],
            on=data["on"],
            weight=data["weight"],
            today=today_of(request),
        )
    except InvalidInput as exc:
        messages.error(request, f"Could not record it: {exc}")
    else:
        who = "You gave them" if data["action"] == "give" else "They gave you"
        messages.success(request, f"Recorded: {who} {data['kind']}.")
    return redirect("person", person.pk)


@network_view(write=True)
def person_thank(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    note = request.POST.get("note", "")
    try:
        thanks = ledger.thank(
            request.network, request.user, person, note=note, today=today_of(request)
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        count = len(thanks.exchanges)
        messages.success(
            request,
            f"Thanked {person.full_name} for {count} thing{'s' if count != 1 else ''}.",
        )
    if request.POST.get("from") == "today":
        return done_or_redirect(request, "today")
    return redirect("person", person.pk)
