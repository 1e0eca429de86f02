"""`kith doctor`: every check of kithkin/doctor.py, one line each; exit 1 on a problem."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.context import handle_errors, out
from kithkin.cli.output import JsonOption, print_shape
from kithkin.cli.worker_commands import ready_database


@handle_errors
def doctor(
    send_test_email: Annotated[
        str | None,
        typer.Option(
            "--send-test-email",
            metavar="ADDRESS",
            help="Also send a test message to ADDRESS through KITH_EMAIL_URL.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check that Kithkin can do its work: the background worker and the rest; exit 1 on a problem."""
    from kithkin import doctor as checks

    ready_database()
    if send_test_email is not None:
        from kithkin.services.mail import send_test_message

        send_test_message(send_test_email)  # a refusal is one line and exit 1 (handle_errors)
        if not as_json:
            out.print(f"✓ test email: sent to {send_test_email}")
    findings = checks.run_checks()
    problems = [finding for finding in findings if not finding.ok]
    if as_json:
        from kithkin.schemas.doctor import DoctorOut

        print_shape(DoctorOut.of(findings))
    else:
        for finding in findings:
            out.print(f"{'✓' if finding.ok else '✗'} {finding.check}: {finding.detail}")
        count = len(problems)
        out.print(
            f"{count} problem{'' if count == 1 else 's'}." if problems else "Everything is fine."
        )
    if problems:
        raise typer.Exit(1)
