"""The address-book home as an ordinary WebDAV collection: a user's own plain collections
and files beside the address books (dav/files.py, services/dav_files.py), one method at a
time; who sees them (the owner alone); the bounds; and the address books' rules unchanged."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kithkin.models import DavFile, Person
from kithkin.services import dav_files
from tests import factories
from tests.dav.helpers import PROPFIND_ETAGS, DavClient, card

PROPPATCH = """<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate xmlns:d="DAV:" xmlns:z="http://example.com/z">
<d:set><d:prop><z:colour>blue</z:colour>
<z:shape xmlns:q="http://example.com/q"><q:corner n="4">square</q:corner></z:shape>
</d:prop></d:set></d:propertyupdate>"""

ALLPROP = """<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>"""


def propfind(*names: str) -> str:
    props = "".join(f'<x:{n} xmlns:x="http://example.com/z"/>' for n in names)
    return f'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop>{props}</d:prop></d:propfind>'


@pytest.fixture
def dav(owner):
    return DavClient(owner)


@pytest.fixture
def home(owner):
    return f"/dav/{owner.pk}/"


def put(dav, path: str, body: bytes = b"hello\n", **headers):
    return dav.request("PUT", path, body, content_type="text/plain", **headers)


def paths(owner) -> list[str]:
    return sorted(DavFile.objects.filter(owner=owner).values_list("path", flat=True))


def test_mkcol_put_get_head_and_replace(dav, home, owner):
    assert dav.request("MKCOL", home + "notes/").status_code == 201
    created = put(dav, home + "notes/todo.txt", b"milk\n")
    assert created.status_code == 201
    got = dav.request("GET", home + "notes/todo.txt")
    assert got.status_code == 200
    assert got.content == b"milk\n"
    assert got["Content-Type"] == "text/plain"
    assert got["ETag"] == created["ETag"]
    head = dav.request("HEAD", home + "notes/todo.txt")
    assert head["Content-Length"] == "5"
    assert head.content == b""
    replaced = put(dav, home + "notes/todo.txt", b"milk\neggs\n")
    assert replaced.status_code == 204
    assert replaced["ETag"] != created["ETag"]
    assert dav.request("GET", home + "notes/todo.txt").content == b"milk\neggs\n"
    listing = dav.request("GET", home + "notes/")
    assert listing.status_code == 200
    assert listing.content == b"todo.txt\n"
    assert paths(owner) == ["notes", "notes/todo.txt"]


def test_a_missing_parent_is_409_and_taken_names_405(dav, home, owner):
    assert put(dav, home + "nowhere/file.txt").status_code == 409
    assert dav.request("MKCOL", home + "nowhere/deeper/").status_code == 409
    put(dav, home + "plain.txt")
    assert put(dav, home + "plain.txt/inside.txt").status_code == 409  # a file holds nothing
    assert dav.request("MKCOL", home + "plain.txt").status_code == 405
    assert dav.request("MKCOL", home + "coll/").status_code == 201
    assert dav.request("MKCOL", home + "coll/").status_code == 405
    assert put(dav, home + "coll/").status_code == 405  # a collection has no content
    weird = dav.request("MKCOL", home + "body/", b"afafafaf", content_type="xzy-foo/bar-512")
    assert weird.status_code == 415
    assert paths(owner) == ["coll", "plain.txt"]


def test_propfind_answers_depth_0_and_1_and_refuses_infinity(dav, home, owner, network):
    dav.request("MKCOL", home + "notes/")
    put(dav, home + "notes/a.txt")
    one = dav.request("PROPFIND", home + "notes/", PROPFIND_ETAGS, HTTP_DEPTH="1")
    assert one.status_code == 207
    assert f"<d:href>{home}notes/</d:href>".encode() in one.content
    assert f"<d:href>{home}notes/a.txt</d:href>".encode() in one.content
    assert b"<d:collection" in one.content
    zero = dav.request("PROPFIND", home + "notes/", PROPFIND_ETAGS, HTTP_DEPTH="0")
    assert b"a.txt" not in zero.content
    infinite = dav.request("PROPFIND", home + "notes/", PROPFIND_ETAGS, HTTP_DEPTH="infinity")
    assert infinite.status_code == 403
    assert b"propfind-finite-depth" in infinite.content
    # the home lists its address books and, beside them, the user's plain collection
    listed = dav.request("PROPFIND", home, PROPFIND_ETAGS, HTTP_DEPTH="1")
    assert dav.book(network.pk).encode() in listed.content
    assert f"<d:href>{home}notes/</d:href>".encode() in listed.content
    assert dav.request("PROPFIND", home + "nothing/", HTTP_DEPTH="0").status_code == 404
    assert dav.request("PROPFIND", home + "notes/", b"<foo>", HTTP_DEPTH="0").status_code == 400


def test_dead_properties_round_trip_with_their_namespaces(dav, home):
    put(dav, home + "doc.txt")
    patched = dav.request("PROPPATCH", home + "doc.txt", PROPPATCH)
    assert patched.status_code == 207
    assert patched.content.count(b"HTTP/1.1 200 OK") == 1
    found = dav.request("PROPFIND", home + "doc.txt", propfind("colour", "shape"), HTTP_DEPTH="0")
    answered = ET.fromstring(found.content)
    assert answered.findtext(".//{http://example.com/z}colour") == "blue"
    corner = answered.find(".//{http://example.com/z}shape/{http://example.com/q}corner")
    assert corner is not None
    assert (corner.text, corner.get("n")) == ("square", "4")
    everything = dav.request("PROPFIND", home + "doc.txt", ALLPROP, HTTP_DEPTH="0")
    assert b"blue" in everything.content and b"getetag" in everything.content
    # removed, then asked for: 404 in its propstat
    removed = dav.request(
        "PROPPATCH",
        home + "doc.txt",
        '<d:propertyupdate xmlns:d="DAV:"><d:remove><d:prop>'
        '<z:colour xmlns:z="http://example.com/z"/></d:prop></d:remove></d:propertyupdate>',
    )
    assert removed.status_code == 207
    gone = dav.request("PROPFIND", home + "doc.txt", propfind("colour"), HTTP_DEPTH="0")
    assert b"404 Not Found" in gone.content and b"blue" not in gone.content


def test_a_protected_property_fails_the_whole_proppatch(dav, home, owner):
    put(dav, home + "doc.txt")
    refused = dav.request(
        "PROPPATCH",
        home + "doc.txt",
        '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:getetag>"x"</d:getetag>'
        '<z:colour xmlns:z="http://example.com/z">red</z:colour></d:prop></d:set>'
        "</d:propertyupdate>",
    )
    assert refused.status_code == 207
    assert b"403 Forbidden" in refused.content and b"424 Failed Dependency" in refused.content
    assert DavFile.objects.get(owner=owner, path="doc.txt").properties == {}


def test_delete_takes_a_collection_with_everything_inside(dav, home, owner):
    dav.request("MKCOL", home + "a/")
    dav.request("MKCOL", home + "a/b/")
    put(dav, home + "a/b/c.txt")
    put(dav, home + "ab.txt")  # a name that starts like the collection's stays
    assert dav.request("DELETE", home + "a/").status_code == 204
    assert paths(owner) == ["ab.txt"]
    assert dav.request("DELETE", home + "a/").status_code == 404


def test_copy_and_move_keep_content_and_properties(dav, home, owner):
    dav.request("MKCOL", home + "src/")
    first = put(dav, home + "src/one.txt", b"one")
    dav.request("PROPPATCH", home + "src/one.txt", PROPPATCH)
    copied = dav.request("COPY", home + "src/", HTTP_DESTINATION=f"http://testserver{home}dst/")
    assert copied.status_code == 201
    assert dav.request("GET", home + "dst/one.txt").content == b"one"
    assert DavFile.objects.get(owner=owner, path="dst/one.txt").properties.keys() == {
        "{http://example.com/z}colour",
        "{http://example.com/z}shape",
    }
    shallow = dav.request("COPY", home + "src/", HTTP_DESTINATION=home + "bare/", HTTP_DEPTH="0")
    assert shallow.status_code == 201
    refused = dav.request("COPY", home + "src/", HTTP_DESTINATION=home + "dst/", HTTP_OVERWRITE="F")
    assert refused.status_code == 412
    moved = dav.request("MOVE", home + "src/one.txt", HTTP_DESTINATION=home + "dst/one.txt")
    assert moved.status_code == 204  # over the copy
    assert dav.request("GET", home + "dst/one.txt")["ETag"] == first["ETag"]
    into_itself = dav.request("MOVE", home + "dst/", HTTP_DESTINATION=home + "dst/deeper/")
    assert into_itself.status_code == 403
    elsewhere = dav.request("COPY", home + "dst/", HTTP_DESTINATION="http://other.example/x/")
    assert elsewhere.status_code == 502
    assert paths(owner) == ["bare", "dst", "dst/one.txt", "src"]


def test_nothing_is_copied_or_moved_onto_an_address_book(dav, home, owner, network, outsider):
    ada = factories.make_person(network, "Ada Lovelace")
    put(dav, home + "x.vcf", card("u-9", "Eve").encode())
    book = dav.book(network.pk)
    for method in ("COPY", "MOVE"):
        for destination in (book + "x.vcf", book, f"{home}99999/", f"/dav/{outsider.pk}/x.vcf"):
            answer = dav.request(method, home + "x.vcf", HTTP_DESTINATION=destination)
            assert answer.status_code == 403, (method, destination)
    assert paths(owner) == ["x.vcf"]
    assert ada in Person.objects.filter(network=network)
    assert not Person.objects.filter(full_name="Eve").exists()
    assert not DavFile.objects.filter(owner=outsider).exists()
    # an address book is not moved into the plain files either
    assert dav.request("MOVE", book, HTTP_DESTINATION=home + "book/").status_code == 403


def test_if_match_and_if_none_match_hold(dav, home):
    etag = put(dav, home + "doc.txt", b"v1")["ETag"]
    assert put(dav, home + "doc.txt", b"v2", HTTP_IF_NONE_MATCH="*").status_code == 412
    assert put(dav, home + "doc.txt", b"v2", HTTP_IF_MATCH='"stale"').status_code == 412
    assert put(dav, home + "new.txt", b"v1", HTTP_IF_MATCH="*").status_code == 412
    assert dav.request("GET", home + "doc.txt", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert dav.request("DELETE", home + "doc.txt", HTTP_IF_MATCH='"stale"').status_code == 412
    assert put(dav, home + "doc.txt", b"v2", HTTP_IF_MATCH=etag).status_code == 204
    assert dav.request("GET", home + "doc.txt").content == b"v2"


def test_each_users_files_are_theirs_alone(owner, teammate, viewer, outsider, home):
    dav = DavClient(owner)
    dav.request("MKCOL", home + "private/")
    put(dav, home + "private/diary.txt", b"secret")
    for user in (teammate, viewer, outsider):
        other = DavClient(user)
        target = home + "private/diary.txt"
        for method in ("GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "MKCOL"):
            assert other.request(method, target, PROPPATCH).status_code == 404, (user, method)
        for method in ("COPY", "MOVE"):
            moved = other.request(method, target, HTTP_DESTINATION=f"/dav/{user.pk}/mine.txt")
            assert moved.status_code == 404, (user, method)
        # their own home holds none of it, and a file of the same name is their own
        own = f"/dav/{user.pk}/"
        assert other.request("GET", own + "private/diary.txt").status_code == 404
        listed = other.request("PROPFIND", own, PROPFIND_ETAGS, HTTP_DEPTH="1")
        assert b"private" not in listed.content
        assert other.request("MKCOL", own + "private/").status_code == 201
    assert dav.request("GET", home + "private/diary.txt").content == b"secret"
    assert DavFile.objects.filter(path="private/diary.txt").count() == 1


def test_a_viewer_keeps_files_in_their_own_home_but_writes_no_card(viewer, network):
    dav = DavClient(viewer)
    home = f"/dav/{viewer.pk}/"
    assert put(dav, home + "notes.txt").status_code == 201
    assert put(dav, dav.book(network.pk) + "x.vcf", card("u-1", "Grace")).status_code == 403
    assert not Person.objects.filter(full_name="Grace").exists()


def test_a_file_over_the_size_limit_is_413(dav, home, owner, monkeypatch):
    monkeypatch.setattr(dav_files, "MAX_FILE_BYTES", 10)
    assert put(dav, home + "big.bin", b"x" * 11).status_code == 413
    assert put(dav, home + "small.bin", b"x" * 10).status_code == 201
    assert paths(owner) == ["small.bin"]


def test_writes_over_the_quota_are_507_and_leave_nothing(dav, home, owner, monkeypatch):
    monkeypatch.setattr(dav_files, "QUOTA_BYTES", 25)
    assert put(dav, home + "a.bin", b"x" * 20).status_code == 201
    assert put(dav, home + "b.bin", b"x" * 6).status_code == 507
    assert dav.request("COPY", home + "a.bin", HTTP_DESTINATION=home + "c.bin").status_code == 507
    assert dav.request("PROPPATCH", home + "a.bin", PROPPATCH).status_code == 507
    monkeypatch.setattr(dav_files, "MAX_RESOURCES", 2)
    assert dav.request("MKCOL", home + "one/").status_code == 201
    assert dav.request("MKCOL", home + "two/").status_code == 507
    assert paths(owner) == ["a.bin", "one"]
    assert DavFile.objects.get(owner=owner, path="a.bin").properties == {}


def test_address_books_keep_their_carddav_rules(dav, home, network):
    book = dav.book(network.pk)
    assert dav.request("MKCOL", book + "litmus/").status_code == 403
    assert dav.request("MKCOL", book).status_code == 403
    assert dav.request("MKCOL", home + "99999/").status_code == 403  # digits: address books'
    assert put(dav, home + "99999").status_code == 403
    options = dav.request("OPTIONS", home)
    assert options["DAV"].split(", ")[:2] == ["1", "3"]
    assert "2" not in options["DAV"].split(", ")
    assert "MKCOL" in options["Allow"] and "COPY" in options["Allow"]


def test_a_file_is_served_as_its_type_but_never_as_a_page(dav, home):
    put_html = dav.request(
        "PUT", home + "page.html", b"<script>1</script>", content_type="text/html"
    )
    assert put_html.status_code == 201
    got = dav.request("GET", home + "page.html")
    assert got["Content-Type"] == "text/html"
    assert "sandbox" in got["Content-Security-Policy"]
    assert got["X-Content-Type-Options"] == "nosniff"
    dav.request("PUT", home + "odd.bin", b"x", content_type="not a type")
    assert dav.request("GET", home + "odd.bin")["Content-Type"] == "application/octet-stream"


def test_names_are_case_sensitive(dav, home, owner):
    """SQLite's LIKE folds case: a collection's members are never found by it alone."""
    for collection in ("Dir/", "dir/"):
        assert dav.request("MKCOL", home + collection).status_code == 201
    put(dav, home + "Dir/x.txt", b"upper")
    put(dav, home + "dir/x.txt", b"lower")
    assert dav.request("COPY", home + "dir/", HTTP_DESTINATION=home + "copy/").status_code == 201
    assert dav.request("DELETE", home + "dir/").status_code == 204
    assert dav.request("GET", home + "Dir/x.txt").content == b"upper"
    assert dav.request("GET", home + "copy/x.txt").content == b"lower"
    assert dav.request("MOVE", home + "copy/", HTTP_DESTINATION=home + "moved/").status_code == 201
    assert paths(owner) == ["Dir", "Dir/x.txt", "moved", "moved/x.txt"]
