"""`kith serve`: the web app behind gunicorn, static files by WhiteNoise."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from kithkin.cli.context import err, handle_errors, out, setup_django
from kithkin.cli.setup_commands import cli_user_or_none, login_hint, prepare_storage

DEMO_LOGIN_FILE = "demo-login.txt"


def demo_login_hint() -> str | None:
    from django.conf import settings

    path = Path(settings.DATA_DIR) / DEMO_LOGIN_FILE
    return path.read_text().strip() if path.is_file() else None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=64, help="Worker processes (default: KITH_WORKERS, from the cores)."
        ),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(min=1, max=32, help="Threads per worker (default: KITH_THREADS, 4)."),
    ] = None,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Also run one background worker (`kith worker`); --no-worker when you run "
            "them yourself.",
        ),
    ] = True,
) -> None:
    """Serve the web app (gunicorn, production-grade) on the configured database."""
    setup_django()
    prepare_storage()
    from django.conf import settings

    from kithkin import server

    workers = workers or settings.WEB_WORKERS
    threads = threads or settings.WEB_THREADS

    url = f"http://{'localhost' if host in {'127.0.0.1', '::1'} else host}:{port}/"
    out.print(f"Kithkin is running at {url}  (Ctrl+C to stop)")
    hint = demo_login_hint()
    if hint:
        out.print(f"Demo login: {hint}")
    out.print(login_hint(cli_user_or_none(), url))
    each = f"{threads} thread{'' if threads == 1 else 's'} each"
    out.print(
        f"{workers} workers, {each}; a request may spend {settings.REQUEST_TIMEOUT} s "
        "in the database (KITH_WORKERS, KITH_THREADS, KITH_REQUEST_TIMEOUT)."
    )
    if worker:
        out.print(
            "One background worker runs beside it (reminders, digests, webhooks); "
            "`kith serve --no-worker` when you run `kith worker` yourself."
        )
    else:
        err.print(
            "No background worker: run `kith worker`, or every page will say it is not running."
        )
    if not _is_loopback(host):
        err.print(
            f"Listening on {host}: set KITH_ALLOWED_HOSTS to the names people use to reach "
            "it, and serve it behind HTTPS (KITH_HTTPS=1)."
        )
    if settings.DEBUG:
        err.print("KITH_DEBUG is on: never expose this server.")

    server.run(host, port, workers, threads, worker=worker)
