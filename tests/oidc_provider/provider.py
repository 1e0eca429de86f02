"""Start the provider as a process on a free port of this machine, for a test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]  # the worktree: `tests` is importable from it
SETTINGS = "tests.oidc_provider.settings"
CLIENT_ID = "kithkin-test"
CLIENT_SECRET = "kithkin-test-secret-" + "s" * 20
PASSWORD = "provider password 1"


@dataclass(frozen=True)
class Provider:
    url: str

    @property
    def issuer(self) -> str:
        return self.url + "/openid"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_provider(workdir: Path, redirect_uri: str) -> Iterator[Provider]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "OIDC_TEST_PROVIDER_URL": url,
        "OIDC_TEST_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    for name in [name for name in env if name.startswith("KITH_")]:
        del env[name]

    def run(*args: str) -> None:
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)

    run("-m", "django", "migrate", "--noinput")
    run("-m", "tests.oidc_provider.seed", CLIENT_ID, CLIENT_SECRET, redirect_uri, PASSWORD)
    log = (workdir / "provider.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        provider = Provider(url)
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the test OpenID provider did not start: "
                        + (workdir / "provider.log").read_text()[-2000:]
                    ) from None
                time.sleep(0.1)
        yield provider
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
