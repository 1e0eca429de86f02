"""litmus, the WebDAV test suite, against an address book on a live server.

Every litmus suite starts by making a plain collection (``MKCOL litmus/``) inside the URL
it is given and putting arbitrary files there. An address book holds vCards and nothing
else (RFC 6352 §5.1: no collections inside an address book, only address object
resources), so Kithkin refuses that MKCOL with 403, as RFC 4918 §9.3.1 says a server that
does not allow a collection there answers, and each suite stops at its first step. What
this pins: every suite's ``init`` (OPTIONS: the DAV classes, and the server answering at
all with the credentials given) passes, and the refusal is a clean 403, never a 404 (as
if the address book were missing), a 405 or a server error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from kithkin.services.app_passwords import create_app_password

pytestmark = [pytest.mark.slow, pytest.mark.once, pytest.mark.django_db(transaction=True)]

LITMUS = shutil.which("litmus")
SUITES = ("basic", "copymove", "props", "locks", "http")


def run_litmus(url: str, username: str, password: str, tmp_path) -> str:
    if LITMUS is None:
        if os.environ.get("CI"):
            pytest.fail("litmus is missing: CI installs Debian's litmus package")
        pytest.skip("litmus is not installed (apt-get install litmus)")
    done = subprocess.run(
        [LITMUS, "--keep-going", url, username, password],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    return done.stdout + done.stderr


def test_litmus_signs_in_and_is_refused_a_collection_inside_an_address_book(
    live_server, owner, network, tmp_path
):
    secret = create_app_password(owner, "litmus").secret
    book = f"/dav/{owner.pk}/{network.pk}/"
    output = run_litmus(f"{live_server.url}{book}", "owner", secret, tmp_path)
    for suite in SUITES:
        assert f"-> running `{suite}'" in output
    assert len(re.findall(r"0\. init\.+ pass", output)) == len(SUITES)
    refusals = re.findall(r"Could not create new collection `([^']*)' for tests: (\d{3})", output)
    assert refusals == [(f"{book}litmus/", "403")] * len(SUITES)
    assert "500" not in output
