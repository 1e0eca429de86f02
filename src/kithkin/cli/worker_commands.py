"""`kith worker`: the background work (kithkin/worker.py), until stopped or once."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.context import err, handle_errors, out


def ready_database() -> None:
    """The database `kith init` made, with its migrations applied (no user needed)."""
    from django.conf import settings

    from kithkin.cli.context import database_is_initialised, migrate
    from kithkin.errors import KithError

    if not database_is_initialised():
        raise KithError(f"No Kithkin database in {settings.DATA_DIR}: run `kith init` first.")
    migrate(quick=True)


@handle_errors
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run what is due and the whole queue, then exit.")
    ] = False,
    interval: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=3600,
            metavar="SECONDS",
            help="Seconds between rounds (default: KITH_WORKER_INTERVAL, 5).",
        ),
    ] = None,
    parent: Annotated[
        int | None,
        typer.Option(
            hidden=True, help="Stop when this process (the `kith serve` that started it) is gone."
        ),
    ] = None,
) -> None:
    """Run the background work (scheduled jobs and the task queue) until stopped."""
    from django.conf import settings

    from kithkin.worker import Worker

    ready_database()
    loop = Worker(interval or settings.WORKER_INTERVAL, parent=parent)
    if once:
        report = loop.run_once()
        if report.failed:
            err.print(f"Error: {report.summary()} See the log above.")
            raise typer.Exit(1)
        out.print(report.summary())
        return
    out.print(
        f"Worker {loop.worker_id}: a round every {loop.interval} s (Ctrl+C to stop).",
    )
    loop.run_forever()
    out.print(f"Worker {loop.worker_id} stopped.")
