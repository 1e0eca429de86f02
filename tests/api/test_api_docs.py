"""docs/api.md's curl examples, run with the real curl against a live test server (the
same code as `kith serve`, in a thread of the test process). Each `$ curl` line of a
``console`` block runs with KITH, TOKEN, NETWORK and CIRCLE set; its answer must have the
shape printed under it: JSON with the same keys, list lengths and statuses (ids and names
differ from run to run), or the header fields listed."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kithkin.models import Circle
from kithkin.services.tokens import create_token
from tests.factories import log, make_follow_up, make_person

ROOT = Path(__file__).resolve().parents[2]
VARYING = {"id", "name", "r", "t"}  # differ from run to run

pytestmark = pytest.mark.django_db(transaction=True)


def examples() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "api.md").read_text()
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for command, answer in re.findall(r"^\$ (curl .*)\n((?:(?!\$ ).*\n)*)", block, re.M):
            found.append((command, answer.strip()))
    return found


def same_shape(documented: Any, actual: Any, where: str = "") -> None:
    if isinstance(documented, dict):
        assert isinstance(actual, dict) and set(documented) == set(actual), where
        for key, value in documented.items():
            if key not in VARYING:
                same_shape(value, actual[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list) and len(documented) == len(actual), where
        for index, (one, other) in enumerate(zip(documented, actual, strict=True)):
            same_shape(one, other, f"{where}[{index}]")
    else:
        assert documented == actual, f"{where}: documented {documented!r}, got {actual!r}"


def test_there_are_examples_of_every_kind():
    commands = [command for command, _ in examples()]
    assert len(commands) >= 7
    assert any("-X PATCH" in c for c in commands) and any("-D -" in c for c in commands)


def records(network) -> dict[str, str]:
    """The records the examples name: PERSON (with a job at ORGANIZATION), one
    INTERACTION with them, one FOLLOW_UP owed to them."""
    ada = make_person(
        network, "Ada Lovelace", emails=["ada@example.org"], organization="Analytical Engines"
    )
    talk = log(network, ada, on=dt.date(2026, 2, 10), summary="The difference engine")
    owed = make_follow_up(network, ada, "Send the notes", due_on=dt.date(2026, 2, 18))
    return {
        "PERSON": str(ada.pk),
        "ORGANIZATION": str(ada.affiliations.get().organization_id),
        "INTERACTION": str(talk.pk),
        "FOLLOW_UP": str(owed.pk),
    }


def test_the_curl_examples_answer_as_documented(live_server, owner, network, settings):
    if shutil.which("curl") is None:
        if os.environ.get("CI"):
            pytest.fail("curl is missing: .ci/run must install it")
        pytest.skip("curl is not installed")
    settings.API_RATE_LIMIT = 600
    made = create_token(owner, "docs", "write")
    circle = Circle.objects.get(network=network, name="close")
    env = {
        **os.environ,
        "KITH": live_server.url,
        "TOKEN": made.secret,
        "NETWORK": str(network.pk),
        "CIRCLE": str(circle.pk),
        **records(network),
    }
    for command, answer in examples():
        run = subprocess.run(
            ["bash", "-c", command], env=env, capture_output=True, text=True, timeout=30
        )
        assert run.returncode == 0, (command, run.stderr)
        if answer.startswith(("{", "[")):
            same_shape(json.loads(answer), json.loads(run.stdout), command)
        else:
            got = {line.split(":")[0].lower() for line in run.stdout.splitlines() if ":" in line}
            for line in answer.splitlines():
                assert line.split(":")[0].lower() in got, (command, line, run.stdout)
