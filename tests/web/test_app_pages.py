"""The installable app's server side: manifest, service worker, quick log, share target."""

from __future__ import annotations

import json
import uuid

import pytest

from kithkin import clock
from kithkin.models import Interaction, Opportunity, Person, QuickLog
from kithkin.web.middleware import cache_owner_of
from tests.factories import log, make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def working_in(user, network):
    """A member whose current network is the owner's (a new user starts in their own)."""
    user.current_network = network
    user.save()
    return client_for(user)


def quick(client, person, *, key=None, **fields):
    data = {
        "key": str(key or uuid.uuid4()),
        "person_id": person.pk,
        "kind": "meeting",
        "note": "coffee with Ada",
        **fields,
    }
    return client.post("/log/", data, **JSON)


def test_the_manifest_installs_kithkin_with_quick_log_and_a_share_target(client):
    response = client.get("/manifest.webmanifest")  # no session: browsers fetch it without
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Kithkin" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/today/" and manifest["scope"] == "/"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert manifest["shortcuts"][0]["url"] == "/log/"
    assert manifest["share_target"] == {
        "action": "/share/",
        "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }


def test_the_quick_log_page_has_a_manifest_of_its_own_for_one_tap(owner_client):
    page = owner_client.get("/log/").content.decode()
    assert 'rel="manifest" href="/log/manifest.webmanifest"' in page
    manifest = json.loads(owner_client.get("/log/manifest.webmanifest").content)
    assert manifest["start_url"] == "/log/" and manifest["short_name"] == "Quick log"


def test_pages_carry_the_ios_tags_and_no_inline_script(owner_client):
    page = owner_client.get("/today/").content.decode()
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in page
    assert 'name="apple-mobile-web-app-status-bar-style"' in page
    assert 'name="apple-mobile-web-app-title" content="Kithkin"' in page
    assert 'rel="apple-touch-icon" href="/static/kithkin/icons/apple-touch-icon-180.png"' in page
    assert "<script>" not in page and 'src="/static/kithkin/app.js"' in page
    assert "data-offline-note hidden" in page  # shown only by the worker's offline copy


def test_the_service_worker_is_served_from_the_root_and_checked_each_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] in ("no-cache", "no-store")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = response.content.decode()
    assert 'const SHELL = ["/static/kithkin/app.css"' in script
    assert 'const PAGES = ["/today/", "/people/", "/log/"]' in script
    assert "importScripts(OUTBOX)" in script
    for url in json.loads(script.split("const SHELL = ", 1)[1].split(";\n", 1)[0]):
        assert client.get(url).status_code == 200, url


def test_every_answer_names_its_owner_and_signing_out_clears_the_site(owner, owner_client):
    page = owner_client.get("/today/")
    key = cache_owner_of(owner)
    assert page["Kithkin-Cache-Owner"] == key and str(owner.pk) != key
    assert f'<meta name="kithkin-owner" content="{key}">' in page.content.decode()
    out = owner_client.post("/logout/")
    assert out["Clear-Site-Data"] == '"cache", "storage"'
    assert "Kithkin-Cache-Owner" not in out


def test_signing_in_clears_the_http_cache(client, owner):
    owner.set_password("correct horse battery staple")
    owner.save()
    response = client.post(
        "/login/", {"username": "owner", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert response["Kithkin-Cache-Owner"] == cache_owner_of(owner)


def test_two_users_have_two_owners(owner, teammate):
    assert cache_owner_of(owner) != cache_owner_of(teammate)


def test_quick_log_logs_once_per_key_and_says_so(owner_client, network):
    ada = make_person(network, "Ada Lovelace")
    key = uuid.uuid4()
    first = quick(owner_client, ada, key=key, logged_at="2026-02-20T07:30:00.000Z")
    assert first.status_code == 200
    assert first.json()["status"] == "logged"
    assert first.json()["message"] == "Logged a meeting with Ada Lovelace."
    again = quick(owner_client, ada, key=key, logged_at="2026-02-20T07:30:00.000Z")
    assert again.json() == {
        "status": "already-logged",
        "interaction": first.json()["interaction"],
        "message": "Already logged: a meeting with Ada Lovelace.",
    }
    interaction = Interaction.objects.get()
    assert interaction.summary == "coffee with Ada"
    assert interaction.occurred_at.isoformat() == "2026-02-20T07:30:00+00:00"  # when tapped


def test_quick_log_by_name_without_a_script(owner_client, network):
    make_person(network, "Ada Lovelace")
    page = owner_client.get("/log/").content.decode()
    assert 'name="key"' in page
    response = owner_client.post(
        "/log/", {"key": str(uuid.uuid4()), "person": "Ada", "kind": "call", "note": "hi"}
    )
    assert response.status_code == 302 and response["Location"] == "/log/"
    assert "Logged a call with Ada Lovelace." in owner_client.get("/log/").content.decode()
    assert Interaction.objects.get().kind == "call"


def test_quick_log_refusals_are_json_the_queue_can_drop(owner_client, network):
    ada = make_person(network, "Ada Lovelace")
    bad_kind = quick(owner_client, ada, kind="telepathy")
    assert bad_kind.status_code == 400 and "error" in bad_kind.json()
    nobody = owner_client.post("/log/", {"key": str(uuid.uuid4()), "kind": "call"}, **JSON)
    assert nobody.status_code == 400 and "who" in nobody.json()["error"]
    unknown = owner_client.post(
        "/log/", {"key": str(uuid.uuid4()), "person": "Zed Nobody", "kind": "call"}, **JSON
    )
    assert unknown.status_code == 404
    not_a_key = quick(owner_client, ada, key="not-a-uuid")
    assert not_a_key.status_code == 400
    assert not Interaction.objects.exists() and not QuickLog.objects.exists()


def test_a_viewer_sees_the_page_but_cannot_quick_log(viewer, network):
    viewer_client = working_in(viewer, network)
    ada = make_person(network, "Ada Lovelace")
    page = viewer_client.get("/log/")
    assert page.status_code == 200
    assert "data-quick-log" not in page.content.decode()
    assert "not log" in page.content.decode()
    refused = quick(viewer_client, ada)
    assert refused.status_code == 403 and "error" in refused.json()
    assert not Interaction.objects.exists()


def test_an_outsider_finds_no_one_of_the_network(outsider_client, network):
    ada = make_person(network, "Ada Lovelace")
    response = quick(outsider_client, ada)
    assert response.status_code == 404
    assert "Ada" not in response.content.decode()
    assert not Interaction.objects.exists()


def test_another_users_key_logs_for_them(owner_client, teammate, network):
    ada = make_person(network, "Ada Lovelace")
    key = uuid.uuid4()
    mine = quick(owner_client, ada, key=key, note="mine").json()
    theirs = quick(working_in(teammate, network), ada, key=key, note="theirs").json()
    assert theirs["status"] == "logged" and theirs["interaction"] != mine["interaction"]
    assert Interaction.objects.count() == 2


def test_the_people_to_pick_from_offline_leave_out_me_and_the_archived(
    owner_client, outsider_client, network
):
    ada = make_person(network, "Ada Lovelace")
    twin = make_person(network, "Ada Lovelace", emails=["other@example.org"])
    grace = make_person(network, "Grace Hopper")
    gone = make_person(network, "Gone Away")
    Person.objects.filter(pk=gone.pk).update(archived_at=clock.now())
    response = owner_client.get("/log/people/")
    assert response.json()["people"] == [
        [ada.pk, f"Ada Lovelace (p{ada.pk})"],
        [twin.pk, f"Ada Lovelace (p{twin.pk})"],
        [grace.pk, "Grace Hopper"],
    ]
    # The phone's copy is downloaded again only once the list changed.
    etag = response["ETag"]
    same = owner_client.get("/log/people/", HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304 and same.content == b""
    make_person(network, "Hedy Lamarr")
    changed = owner_client.get("/log/people/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["people"][-1][1] == "Hedy Lamarr"
    assert "Ada" not in outsider_client.get("/log/people/").content.decode()


def test_the_people_talked_to_lately_are_one_tap_away(owner_client, network):
    import datetime as dt

    ada = make_person(network, "Ada Lovelace")
    make_person(network, "Grace Hopper")
    log(network, ada, on=dt.date(2026, 2, 18))
    page = owner_client.get("/log/").content.decode()
    assert f'data-person-id="{ada.pk}" data-person-name="Ada Lovelace"' in page
    assert 'data-person-name="Grace Hopper"' not in page


def test_a_shared_link_opens_both_forms_filled_in(owner_client, network):
    make_person(network, "Ada Lovelace")
    page = owner_client.get(
        "/share/",
        {"title": "Staff engineer at Babbage", "text": "Look at this", "url": "https://ex.org/j"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Look at this https://ex.org/j" in html  # the quick log's note
    assert 'action="/opportunities/new/"' in html
    assert 'value="Staff engineer at Babbage"' in html
    assert 'value="https://ex.org/j"' in html
    assert 'name="csrfmiddlewaretoken"' in html  # saving is this page's POST, with its token


def test_a_link_inside_shared_text_is_found(owner_client):
    html = owner_client.get(
        "/share/", {"text": "New role https://jobs.example.org/42 worth a look"}
    ).content.decode()
    assert 'value="https://jobs.example.org/42"' in html


def test_saving_a_shared_link_as_an_opportunity(owner_client):
    response = owner_client.post(
        "/opportunities/new/",
        {"title": "Staff engineer at Babbage", "kind": "job", "url": "https://ex.org/j"},
    )
    assert response.status_code == 302
    assert Opportunity.objects.get().url == "https://ex.org/j"


def test_a_viewer_can_open_a_share_but_keep_nothing(viewer, network):
    viewer_client = working_in(viewer, network)
    html = viewer_client.get("/share/", {"text": "hello"}).content.decode()
    assert "data-quick-log" not in html and "opportunities/new" not in html


def test_the_share_target_asks_to_sign_in_first(client):
    response = client.get("/share/", {"text": "hello"})
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
