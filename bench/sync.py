"""Benchmark: an IMAP mail box synced from a local Dovecot, beside a raw imapclient fetch of
the same headers in the same run.

    .venv/bin/python bench/sync.py [--messages 50000] [--people 500] [--runs 1]

A throwaway Dovecot (tests/sync/dovecot.py) serves a Maildir written as files (most mail
from or to the network's people, some list mail and some unknown senders, over the last
eleven months); a fresh SQLite database holds a network of --people people. Figures, same
run:

- raw baseline: imapclient SELECT, SEARCH SINCE and FETCH of the same header fields in
  batches of the same size, nothing parsed or stored (the floor of any sync);
- first sync: kithkin.sync.run.run_account on a new account (headers parsed by the mbox
  rules, planned and applied batch by batch with the folder's state);
- incremental sync: the same account after 10 new messages arrive.

Dovecot indexes the Maildir once before anything is timed. Targets: first sync <= 60 s and
<= 3x the raw baseline; incremental sync <= 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sync import dovecot  # noqa: E402
from tests.sync.dovecot import Message, deliver  # noqa: E402

ME = "me@example.org"
TARGET_FIRST_S = 60.0
TARGET_RATIO = 3.0
TARGET_INCREMENTAL_S = 2.0


def mail(count: int, people: int, seed: int = 16) -> list[Message]:
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    found = []
    for n in range(count):
        when = now - dt.timedelta(minutes=rng.randint(60, 330 * 24 * 60))
        kind = rng.random()
        person = f"Person {n % people} <p{rng.randrange(people)}@example.org>"
        if kind < 0.6:
            found.append(Message(person, ME, when, f"Note {n}"))
        elif kind < 0.75:
            found.append(Message(ME, person, when, f"Re: note {n}", cc="p1@example.org"))
        elif kind < 0.85:
            found.append(Message(person, ME, when, "News", extra=["List-Id: <l.example.org>"]))
        else:
            found.append(Message(f"Stranger <s{rng.randrange(2000)}@example.net>", ME, when, "Hi"))
    return found


def raw_fetch(port: int) -> int:
    from imapclient import IMAPClient

    from kithkin.sync.imap import FETCH
    from kithkin.sync.mail import BATCH

    client = IMAPClient("127.0.0.1", port=port, ssl=False)
    client.login(ME, dovecot.PASSWORD)
    client.select_folder("INBOX", readonly=True)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=31 * 12)
    uids = sorted(client.search(["SINCE", since.date()]))
    fetched = 0
    for start in range(0, len(uids), BATCH):
        fetched += len(client.fetch(uids[start : start + BATCH], [FETCH]))
    client.logout()
    return fetched


class Stopwatch:
    """Wall and CPU time spent inside a function, summed over its calls."""

    def __init__(self, module: object, name: str) -> None:
        self.wall = self.cpu = 0.0
        inner = getattr(module, name)

        def timed(*args: object, **kwargs: object) -> object:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                self.wall += time.perf_counter() - wall
                self.cpu += time.process_time() - cpu

        setattr(module, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kith-sync-bench-"))
    (folder / "data").mkdir()
    os.environ["KITH_DATA_DIR"] = str(folder / "data")
    os.environ.pop("KITH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from kithkin.cli.context import migrate
    from kithkin.models import Interaction, Network, SyncAccount
    from kithkin.services.accounts import create_user
    from kithkin.services.people import NewPerson, add_person
    from kithkin.services.sync_accounts import add_imap_account
    from kithkin.sync import mail as sync_mail
    from kithkin.sync.run import run_account

    writing = Stopwatch(sync_mail, "_write")  # plan, apply and state, per batch

    migrate()
    with dovecot.running(folder / "dovecot") as server:
        started = time.perf_counter()
        deliver(server.maildir(), mail(args.messages, args.people))
        print(f"wrote {args.messages:,} messages in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        raw_fetch(server.port)  # Dovecot indexes the Maildir: untimed
        print(f"Dovecot indexed them in {time.perf_counter() - started:.1f} s")

        raw, raw_cpu, first, first_cpu, incremental = [], [], [], [], []
        for run in range(args.runs):
            started, cpu = time.perf_counter(), time.process_time()
            fetched = raw_fetch(server.port)
            raw.append(time.perf_counter() - started)
            raw_cpu.append(time.process_time() - cpu)

            user = create_user(
                username=f"bench{run}", full_name="Bench Marker", time_zone="UTC", email=ME
            )
            network = user.current_network
            assert isinstance(network, Network)
            for n in range(args.people):
                add_person(
                    network, user, NewPerson(full_name=f"Person {n}", emails=[f"p{n}@example.org"])
                )
            account = add_imap_account(
                network, user, host="127.0.0.1", port=server.port, tls="none", username=ME,
                password=dovecot.PASSWORD, folders=["INBOX"],
            )  # fmt: skip
            cpu, started = time.process_time(), time.perf_counter()
            writing.wall = writing.cpu = 0.0
            outcome = run_account(account)
            first.append(time.perf_counter() - started)
            first_cpu.append(time.process_time() - cpu)
            print(f"  of which writing {writing.wall:.2f} s (CPU {writing.cpu:.2f} s)")
            logged = Interaction.objects.filter(network=network).count()
            print(
                f"run {run + 1}: fetched {fetched:,}; first sync logged {outcome.logged:,} "
                f"({logged:,} stored), skipped {outcome.skipped:,}, suggested {outcome.suggested:,}"
            )

            deliver(server.maildir(), mail(10, args.people, seed=1000 + run))
            account = SyncAccount.objects.get(pk=account.pk)
            started = time.perf_counter()
            outcome = run_account(account)
            incremental.append(time.perf_counter() - started)
            assert outcome.logged + outcome.skipped == 10, outcome

    shutil.rmtree(folder, ignore_errors=True)
    raw_s, first_s = statistics.median(raw), statistics.median(first)
    incremental_s = statistics.median(incremental)
    print(
        f"raw imapclient header fetch      {raw_s:7.2f} s  (CPU {statistics.median(raw_cpu):.2f} s)"
    )
    print(
        f"first sync                       {first_s:7.2f} s  (CPU {statistics.median(first_cpu):.2f} s)"
    )
    print(f"first sync / raw                 {first_s / raw_s:7.2f}x")
    print(f"incremental sync (10 new)        {incremental_s:7.2f} s")
    for met, text in (
        (first_s <= TARGET_FIRST_S, f"first sync <= {TARGET_FIRST_S:.0f} s"),
        (first_s <= TARGET_RATIO * raw_s, f"first sync <= {TARGET_RATIO:.0f}x raw"),
        (incremental_s <= TARGET_INCREMENTAL_S, f"incremental <= {TARGET_INCREMENTAL_S:.0f} s"),
    ):
        print(f"{'met ' if met else 'MISS'}  {text}")


if __name__ == "__main__":
    main()
