"""Benchmark: vdirsyncer's first sync of 10,000 contacts from Kithkin, side by side with
the same cards served by Radicale from its own file storage, and an incremental sync.

    .venv/bin/python bench/carddav.py [--people 10000] [--runs 2]

Makes a fresh SQLite install in a temporary folder with ``--people`` people (names, an
email, a phone, a job, a tag, a birthday each: imported from a generated .vcf through the
importer), writes Kithkin's cards of them into a Radicale collection on disk, starts
``kith serve --no-worker`` and ``radicale`` on local ports, then for each run syncs a new
empty folder from each server with vdirsyncer (alternating, so both meet the same machine
load) and prints the medians and their ratio (target: Kithkin <= 1.5 x Radicale). Then:
one person edited in Kithkin and the incremental sync timed, and the server's answer to a
``sync-collection`` REPORT from the previous token (what DAVx5 and iOS send; target <= 1 s).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cards(people: int) -> bytes:
    lines = []
    for n in range(people):
        lines += [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"UID:bench-{n}",
            f"FN:Person{n} Example{n % 997}",
            f"N:Example{n % 997};Person{n};;;",
            f"EMAIL;TYPE=WORK:person{n}@example.org",
            f"TEL;TYPE=CELL:+1 202 555 {n % 10000:04d}",
            f"ORG:Company {n % 300}",
            "TITLE:Engineer",
            f"CATEGORIES:group{n % 20}",
            f"BDAY:19{50 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "END:VCARD",
        ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _wait(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def _vdirsyncer(root: Path, name: str, url: str, username: str, password: str) -> float:
    """Seconds of one `vdirsyncer sync` of ``url`` into the folder ``root/name``."""
    local = root / name
    local.mkdir(exist_ok=True)
    config = root / f"{name}.conf"
    config.write_text(
        f"""[general]
status_path = "{root / (name + "-status")}/"
[pair p]
a = "local"
b = "remote"
collections = null
[storage local]
type = "filesystem"
path = "{local}/"
fileext = ".vcf"
[storage remote]
type = "carddav"
url = "{url}"
username = "{username}"
password = "{password}"
"""
    )
    args = [str(BIN / "vdirsyncer"), "-c", str(config)]
    subprocess.run([*args, "discover"], check=True, capture_output=True, input=b"y\n")
    start = time.perf_counter()
    done = subprocess.run([*args, "sync"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kith-carddav-bench-"))
    data = root / "kithkin"
    # A shared machine renders 10,000 cards slower than the default bound of a request's
    # database time (30 s of wall time on SQLite): the server gets longer.
    os.environ.update(
        KITH_DATA_DIR=str(data),
        KITH_ALLOWED_HOSTS="127.0.0.1,localhost",
        KITH_REQUEST_TIMEOUT="600",
    )
    os.environ.pop("KITH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from django.db import connections

    from kithkin.address_books import cards
    from kithkin.cli.context import migrate
    from kithkin.models import Person
    from kithkin.services.accounts import create_user
    from kithkin.services.app_passwords import create_app_password
    from kithkin.services.people import PersonChanges, update_person
    from kithkin.transfer import import_file

    data.mkdir(parents=True)
    migrate()
    user = create_user(username="bench", full_name="Bench Marker", time_zone="Europe/Paris")
    network = user.current_network
    assert network is not None
    source = root / "people.vcf"
    source.write_bytes(_cards(args.people))
    import_file(network, user, "vcard", source, create_people=True)
    secret = create_app_password(user, "bench").secret
    # Radicale's copy: Kithkin's own cards (vCard 3.0, the same bytes), one file each.
    collection = root / "radicale" / "collection-root" / "bench" / "contacts"
    collection.mkdir(parents=True)
    (collection / ".Radicale.props").write_text(json.dumps({"tag": "VADDRESSBOOK"}))
    for card in cards.cards(network):
        (collection / card.href).write_text(card.text(), newline="")
    print(f"{Person.objects.filter(network=network).count() - 1:,} people")
    connections.close_all()

    kith_port, radicale_port = _free_port(), _free_port()
    radicale_config = root / "radicale.conf"
    radicale_config.write_text(
        f"[server]\nhosts = 127.0.0.1:{radicale_port}\n[auth]\ntype = none\n"
        f"[storage]\nfilesystem_folder = {root / 'radicale'}\n[logging]\nlevel = warning\n"
    )
    server_log = open(root / "kith-serve.log", "w")  # noqa: SIM115 (closed with the servers)
    servers = [
        subprocess.Popen(
            [str(BIN / "kith"), "serve", "--no-worker", "--port", str(kith_port)],
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
        subprocess.Popen(
            [str(BIN / "radicale"), "--config", str(radicale_config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
    ]
    kith_url = f"http://127.0.0.1:{kith_port}/dav/{user.pk}/{network.pk}/"
    radicale_url = f"http://127.0.0.1:{radicale_port}/bench/contacts/"
    try:
        _wait(kith_port)
        _wait(radicale_port)
        timings: dict[str, list[float]] = {"kithkin": [], "radicale": []}
        for run in range(args.runs):
            timings["kithkin"].append(_vdirsyncer(root, f"kith{run}", kith_url, "bench", secret))
            timings["radicale"].append(
                _vdirsyncer(root, f"radicale{run}", radicale_url, "bench", "x")
            )
            assert len(list((root / f"kith{run}").glob("*.vcf"))) == args.people
        kithkin, radicale = (statistics.median(timings[k]) for k in ("kithkin", "radicale"))
        print(f"first sync, {args.people:,} cards (median of {args.runs}):")
        print(f"  Kithkin  {kithkin:6.2f} s  {timings['kithkin']}")
        print(f"  Radicale {radicale:6.2f} s  {timings['radicale']}")
        print(f"  ratio    {kithkin / radicale:6.2f} (target <= 1.5)")

        token_body = _report(kith_port, user.pk, network.pk, secret, "")
        token = token_body.split("<d:sync-token>")[1].split("<")[0]
        person = Person.objects.filter(network=network, is_self=False).order_by("pk").first()
        assert person is not None
        update_person(network, user, person, PersonChanges(notes="changed once"))
        connections.close_all()
        start = time.perf_counter()
        answer = _report(kith_port, user.pk, network.pk, secret, token)
        report = time.perf_counter() - start
        assert "changed once" in answer
        incremental = _vdirsyncer(root, "kith0", kith_url, "bench", secret)
        floor = _vdirsyncer(root, "radicale0", radicale_url, "bench", "x")
        print(
            f"after one change: sync-collection REPORT {report:.3f} s (target <= 1 s); "
            f"vdirsyncer's incremental sync {incremental:.2f} s (with nothing changed, against "
            f"Radicale: {floor:.2f} s)"
        )
    except Exception:
        print((root / "kith-serve.log").read_text()[-5000:])
        raise
    finally:
        server_log.close()
        for server in servers:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


def _report(port: int, user_id: int, network_id: int, secret: str, token: str) -> str:
    body = (
        '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" '
        'xmlns:card="urn:ietf:params:xml:ns:carddav">'
        f"<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>"
    )
    auth = base64.b64encode(f"bench:{secret}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request(
        "REPORT",
        f"/dav/{user_id}/{network_id}/",
        body,
        {"Authorization": f"Basic {auth}", "Content-Type": "application/xml", "Depth": "1"},
    )
    response = connection.getresponse()
    text = response.read().decode()
    assert response.status == 207, (response.status, text[:500])
    return text


if __name__ == "__main__":
    main()
