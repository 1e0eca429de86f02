"""The installable app (docs/app.md): its manifest, its service worker served from the root
so it controls every page, the quick log a phone sends (queued offline, sent once by its
key), and the share target that turns a shared link or text into a quick log or an
opportunity.

Nothing here decides anything: the quick log is ``services.quick_log``, the people to pick
from ``queries.quick_log``, an opportunity is saved by the opportunities page's own form.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from kithkin import access
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Interaction, Person
from kithkin.queries.people import resolve_person
from kithkin.queries.quick_log import picker, recent_people
from kithkin.services.quick_log import NOTE_LIMIT, QuickLogResult, parse_key, quick_log
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import error_text
from kithkin.web.views.opportunities import OpportunityForm

THEME = "#2f5d50"  # --accent in app.css
PAPER = "#faf8f4"  # --paper
# What the service worker keeps for offline use besides the pages (sw.js).
SHELL = (
    "kithkin/app.css",
    "kithkin/htmx-2.0.11.min.js",
    "kithkin/copy.js",
    "kithkin/triage.js",
    "kithkin/app.js",
    "kithkin/outbox.js",
    "kithkin/icon.svg",
    "kithkin/icons/icon-192.png",
)
WORKER = "kithkin/sw.js"
JSON_TYPE = "application/json"
VIEW_ONLY = "You may view this network but not change it."


def _icons() -> list[dict[str, str]]:
    return [
        {"src": static("kithkin/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("kithkin/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("kithkin/icons/maskable-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "maskable",
        },
        {
            "src": static("kithkin/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]


def _manifest(quick: bool) -> dict[str, Any]:
    quick_log_url = reverse("quick_log")
    common = {
        "scope": "/",
        "display": "standalone",
        "background_color": PAPER,
        "theme_color": THEME,
        "icons": _icons(),
    }
    if quick:
        # Added to the home screen from the quick log page: its own icon, one tap to log.
        return {
            "id": quick_log_url,
            "name": "Kithkin quick log",
            "short_name": "Quick log",
            "description": "Log a conversation in a few seconds, online or not.",
            "start_url": quick_log_url,
            **common,
        }
    return {
        "id": "/",
        "name": "Kithkin",
        "short_name": "Kithkin",
        "description": "Your professional network, kept in touch with.",
        "start_url": reverse("today"),
        **common,
        "shortcuts": [
            {
                "name": "Quick log",
                "short_name": "Log",
                "description": "Log a conversation with someone",
                "url": quick_log_url,
                "icons": [
                    {
                        "src": static("kithkin/icons/quick-log-96.png"),
                        "sizes": "96x96",
                        "type": "image/png",
                    }
                ],
            },
            {"name": "Today", "url": reverse("today")},
            {"name": "People", "url": reverse("people")},
        ],
        # GET: the phone opens a page with the shared text in its forms; saving it is a
        # POST of that page, with its CSRF token (a POST from the phone's share sheet
        # could carry none).
        "share_target": {
            "action": reverse("share"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """Public like an icon: browsers fetch the manifest without the session cookie."""
    body = json.dumps(_manifest(quick=False), indent=2)
    return HttpResponse(body, content_type="application/manifest+json")


@require_safe
def quick_log_manifest(request: HttpRequest) -> HttpResponse:
    body = json.dumps(_manifest(quick=True), indent=2)
    return HttpResponse(body, content_type="application/manifest+json")


@functools.cache
def _worker_script() -> str:
    """sw.js with what it keeps: the shell's URLs, and a version that changes whenever one
    of those files or the worker itself does (the browser then installs it afresh and the
    old shell cache is dropped)."""
    digest = hashlib.sha256()
    for name in (WORKER, *SHELL):
        path = finders.find(name)
        if path is None:
            raise FileNotFoundError(name)
        with open(str(path), "rb") as file:
            digest.update(file.read())
    worker_path = finders.find(WORKER)
    with open(str(worker_path), encoding="utf-8") as file:
        worker = file.read()
    config = {
        "VERSION": digest.hexdigest()[:16],
        "SHELL": [static(name) for name in SHELL],
        "OUTBOX": static("kithkin/outbox.js"),
        "PAGES": [reverse("today"), reverse("people"), reverse("quick_log")],
        "DATA": [reverse("quick_log_people")],
        "FRAGMENTS": [reverse("today") + "sections/"],
    }
    head = "".join(f"const {name} = {json.dumps(value)};\n" for name, value in config.items())
    return head + worker


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """At the root, so its scope is the whole app. Never cached for long: a browser checks
    for a new worker on each visit and should find it."""
    response = HttpResponse(_worker_script(), content_type="text/javascript; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


class QuickLogForm(forms.Form):
    key = forms.CharField(max_length=64)
    person = forms.CharField(max_length=300, required=False)
    person_id = forms.IntegerField(required=False)
    kind = forms.ChoiceField(choices=Interaction.Kind.choices, initial=Interaction.Kind.MEETING)
    note = forms.CharField(max_length=NOTE_LIMIT, required=False)
    logged_at = forms.CharField(max_length=64, required=False)


def _wants_json(request: HttpRequest) -> bool:
    return JSON_TYPE in request.headers.get("Accept", "")


def _person(request: NetworkRequest, data: dict[str, Any]) -> Person:
    if data["person_id"]:
        return access.person_for(request.user, request.network, data["person_id"])
    if not data["person"].strip():
        raise InvalidInput("person", "pick who it was with")
    return resolve_person(request.network, data["person"])


def _logged_at(text: str) -> dt.datetime | None:
    moment = parse_datetime(text.strip()) if text.strip() else None
    if moment is None or moment.tzinfo is None:
        return None  # sent without a time the phone knew: now
    return moment


def _sentence(result: QuickLogResult, person: Person) -> str:
    interaction = result.interaction
    if interaction is None:
        return f"Already logged with {person.full_name}, and undone since."
    said = f"a {interaction.get_kind_display()} with {person.full_name}"
    return f"Already logged: {said}." if result.replayed else f"Logged {said}."


def _refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    messages.error(request, message)
    return redirect("quick_log")


@network_view(form=True)
def quick_log_page(request: NetworkRequest) -> HttpResponse:
    """GET: the form (its key made here, so even without a script a form sent twice logs
    once). POST: log it; the app's script asks for JSON, a plain form gets the page back."""
    if request.method == "POST":
        return _quick_log_post(request)
    return render(
        request,
        "kithkin/quick_log.html",
        {
            "form": QuickLogForm(initial={"key": str(uuid.uuid4())}),
            "recent": recent_people(request.network),
            "can_write": request.membership.can_write,
            "note_limit": NOTE_LIMIT,
        },
    )


def _quick_log_post(request: NetworkRequest) -> HttpResponse:
    if not request.membership.can_write:
        if _wants_json(request):  # the queue drops it, with this line
            return JsonResponse({"error": VIEW_ONLY}, status=403)
        raise PermissionDenied(VIEW_ONLY)
    form = QuickLogForm(request.POST)
    if not form.is_valid():
        return _refused(request, 400, "Could not log it: " + error_text(form))
    data = form.cleaned_data
    try:
        person = _person(request, data)
        result = quick_log(
            request.network,
            request.user,
            key=parse_key(data["key"]),
            person=person,
            kind=data["kind"],
            note=data["note"],
            occurred_at=_logged_at(data["logged_at"]),
        )
    except NotFound as exc:
        return _refused(request, 404, str(exc))
    except (InvalidInput, Ambiguous) as exc:
        return _refused(request, 400, str(exc))
    sentence = _sentence(result, person)
    if _wants_json(request):
        interaction = result.interaction
        return JsonResponse(
            {
                "status": "already-logged" if result.replayed else "logged",
                "interaction": interaction.pk if interaction else None,
                "message": sentence,
            }
        )
    messages.success(request, sentence)
    return redirect("quick_log")


@network_view()
def quick_log_people(request: NetworkRequest) -> HttpResponse:
    """Everyone to pick from, kept by the phone for picking offline: ``[[id, name], ...]``,
    compact (30,000 people are about 0.9 MB), with an ETag of the body, so the service
    worker, which sends the ETag of the copy it keeps, downloads it again only once it
    changed (the answer is ``no-store`` for the browser's own cache)."""
    body = json.dumps({"people": picker(request.network)}, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(body, content_type=JSON_TYPE)
    response.headers["ETag"] = etag
    return response


def _shared_line(title: str, text: str, url: str) -> str:
    """One line of what was shared: the text (or title) and the link, once."""
    words = " ".join((text or title).split())
    link = url.strip()
    if link and link not in words:
        words = f"{words} {link}".strip()
    return words[:NOTE_LIMIT]


def _shared_link(text: str, url: str) -> str:
    """The link shared: the URL field, or the first web address in the text (Android's
    share sheet often puts it there)."""
    if url.strip():
        return url.strip()
    return next((word for word in text.split() if word.startswith(("https://", "http://"))), "")


@network_view()
def share(request: NetworkRequest) -> HttpResponse:
    """The share target: what the phone shared, in two forms to choose from — a quick log
    against a person, or a new opportunity (the opportunities page's own form and POST)."""
    title = request.GET.get("title", "")[:300]
    text = request.GET.get("text", "")[:2000]
    link = _shared_link(text, request.GET.get("url", ""))[:500]
    line = _shared_line(title, text, link)
    opportunity_title = " ".join((title or text.replace(link, "")).split())[:200]
    return render(
        request,
        "kithkin/share.html",
        {
            "form": QuickLogForm(
                initial={"key": str(uuid.uuid4()), "note": line, "kind": "message"}
            ),
            "opportunity_form": OpportunityForm(
                initial={"title": opportunity_title, "url": link, "description": text.strip()}
            ),
            "recent": recent_people(request.network),
            "can_write": request.membership.can_write,
            "shared": line,
            "note_limit": NOTE_LIMIT,
        },
    )
