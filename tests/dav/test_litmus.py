"""litmus, the WebDAV test suite, against the address-book home on a live server.

Every litmus suite starts by making a plain collection (``MKCOL litmus/``) inside the URL
it is given and then puts arbitrary files there, so it cannot run inside an address book
(RFC 6352 §5.1: an address book holds vCards only). It runs in the home, ``/dav/<user>/``,
an ordinary WebDAV collection where a user keeps plain collections and files beside the
address books (dav/files.py). Every test of the basic, copymove, props and http suites
must pass; the locks suite is skipped, as litmus does for a server that claims class 1
(and 3) but not class 2. Inside an address book the MKCOL is still a clean 403.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from kithkin.models import DavFile
from kithkin.services.app_passwords import create_app_password

pytestmark = [pytest.mark.slow, pytest.mark.once, pytest.mark.django_db(transaction=True)]

LITMUS = shutil.which("litmus")
SUITES = ("basic", "copymove", "props", "locks", "http")
PASSING = ("basic", "copymove", "props", "http")
SUMMARY = re.compile(r"<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed\.")


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


def summaries(output: str) -> dict[str, tuple[int, int, int]]:
    """Each suite's (run, passed, failed) from litmus's summary lines."""
    return {
        suite: (int(run), int(passed), int(failed))
        for suite, run, passed, failed in SUMMARY.findall(output)
    }


def test_every_webdav_basic_passes_in_the_home(live_server, owner, network, tmp_path):
    secret = create_app_password(owner, "litmus").secret
    output = run_litmus(f"{live_server.url}/dav/{owner.pk}/", "owner", secret, tmp_path)
    for suite in SUITES:
        assert f"-> running `{suite}'" in output
    found = summaries(output)
    assert set(found) == set(SUITES), output
    for suite in PASSING:
        run, passed, failed = found[suite]
        assert passed == run and failed == 0, f"{suite}:\n{output}"
    assert found["basic"][0] >= 16 and found["copymove"][0] >= 13
    assert found["props"][0] >= 30 and found["http"][0] >= 4
    # locks: init, begin and OPTIONS run; every locking test after them is skipped
    locks = output[output.index("-> running `locks'") : output.index("-> running `http'")]
    assert found["locks"] == (3, 3, 0)
    assert "SKIPPED (locking tests skipped,\nserver does not claim Class 2 compliance)" in locks
    assert "1 test was skipped" in locks
    assert "FAIL" not in output
    # litmus cleans up after itself: only its (empty) working collection is left
    assert list(DavFile.objects.filter(owner=owner).values_list("path", flat=True)) == ["litmus"]


def test_litmus_is_refused_a_collection_inside_an_address_book(
    live_server, owner, network, tmp_path
):
    secret = create_app_password(owner, "litmus").secret
    book = f"/dav/{owner.pk}/{network.pk}/"
    output = run_litmus(f"{live_server.url}{book}", "owner", secret, tmp_path)
    assert len(re.findall(r"0\. init\.+ pass", output)) == len(SUITES)
    refusals = re.findall(r"Could not create new collection `([^']*)' for tests: (\d{3})", output)
    assert refusals == [(f"{book}litmus/", "403")] * len(SUITES)
    assert "500" not in output
    assert not DavFile.objects.exists()
