"""`kith account add imap|caldav|ics`, `list`, `remove`, `sync`, `rekey`: your synced mail
and calendar accounts (docs/accounts.md)."""

from __future__ import annotations

import sys
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithkin.cli.context import err, handle_errors, out, session
from kithkin.cli.network_option import NetworkOption, chosen_network
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    from kithkin.models import SyncAccount
    from kithkin.sync.outcome import SyncOutcome

account_app = typer.Typer(
    help="Mail and calendar accounts that log interactions by themselves (docs/accounts.md).",
    no_args_is_help=True,
)
add_app = typer.Typer(
    help="Add an IMAP mail box, a CalDAV server or a calendar URL.", no_args_is_help=True
)
account_app.add_typer(add_app, name="add")

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input's first line."),
]
NameOption = Annotated[str, typer.Option("--name", help="What to call it (default: user at host).")]
NoSubjects = Annotated[
    bool, typer.Option("--no-subjects", help="Log no subject or title, only who and when.")
]


def _secret(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt(prompt, hide_input=True))


def _added(account: SyncAccount) -> None:
    out.print(
        f"Added {account.get_kind_display()} account {account.name!r} ({account.where}): "
        "the worker syncs it within a minute, or run `kith account sync`."
    )


@add_app.command("imap")
@handle_errors
def add_imap(
    username: Annotated[str, typer.Argument(help="The user name, usually the address.")],
    preset: Annotated[
        str,
        typer.Option("--preset", help="gmail, fastmail, icloud or outlook: fills host, port, TLS."),
    ] = "",
    host: Annotated[str, typer.Option("--host", help="The IMAP server.")] = "",
    port: Annotated[
        int | None, typer.Option("--port", help="Default 993 (143 for starttls).")
    ] = None,
    tls: Annotated[
        str, typer.Option("--tls", help="tls (default), starttls, or none (this machine only).")
    ] = "",
    folder: Annotated[
        list[str] | None,
        typer.Option("--folder", help="A folder to read (repeat it); default: inbox and sent."),
    ] = None,
    months: Annotated[
        int, typer.Option("--months", help="How far back the first sync reads.")
    ] = 12,
    no_subjects: NoSubjects = False,
    name: NameOption = "",
    password_stdin: PasswordStdin = False,
    network: NetworkOption = None,
) -> None:
    """Add a mail box read over IMAP (headers only, never a body)."""
    from kithkin.services.sync_accounts import add_imap_account

    ctx = session()
    target = chosen_network(ctx, network)
    password = _secret(password_stdin, f"Password (an app password) for {username}")
    _added(
        add_imap_account(
            target,
            ctx.user,
            username=username,
            password=password,
            preset=preset,
            host=host,
            port=port,
            tls=tls,
            name=name,
            folders=folder,
            months=months,
            subjects=not no_subjects,
        )
    )


@add_app.command("caldav")
@handle_errors
def add_caldav(
    url: Annotated[str, typer.Argument(help="The CalDAV server's URL (its calendars are found).")],
    username: Annotated[str, typer.Argument(help="The user name.")],
    calendar: Annotated[
        list[str] | None,
        typer.Option("--calendar", help="A calendar to read (repeat it); default: every one."),
    ] = None,
    no_subjects: NoSubjects = False,
    name: NameOption = "",
    password_stdin: PasswordStdin = False,
    network: NetworkOption = None,
) -> None:
    """Add a CalDAV server: meetings with people you know are logged."""
    from kithkin.services.sync_accounts import add_caldav_account

    ctx = session()
    target = chosen_network(ctx, network)
    password = _secret(password_stdin, f"Password (an app password) for {username}")
    _added(
        add_caldav_account(
            target,
            ctx.user,
            url=url,
            username=username,
            password=password,
            name=name,
            calendars=calendar,
            subjects=not no_subjects,
        )
    )


@add_app.command("ics")
@handle_errors
def add_ics(
    no_subjects: NoSubjects = False,
    name: NameOption = "",
    url_stdin: Annotated[
        bool,
        typer.Option(
            "--url-stdin",
            "--password-stdin",
            help="Read the URL (the password) from standard input's first line.",
        ),
    ] = False,
    network: NetworkOption = None,
) -> None:
    """Add a calendar's secret address (iCal URL); it is asked for, not an argument, since
    it is a password."""
    from kithkin.services.sync_accounts import add_calendar_url

    ctx = session()
    target = chosen_network(ctx, network)
    url = _secret(url_stdin, "The calendar's secret address (URL)")
    _added(add_calendar_url(target, ctx.user, url=url, name=name, subjects=not no_subjects))


def _counts(counts: dict[str, Any]) -> str:
    if not counts:
        return "never synced"
    problems = counts.get("problems") or []
    said = ", ".join(
        f"{value} {key}" for key, value in counts.items() if value and key != "problems"
    )
    if problems:
        said = "; ".join(filter(None, [said, f"could not read: {'; '.join(problems)}"]))
    return said or "nothing new"


@account_app.command("list")
@handle_errors
def account_list(
    every: Annotated[bool, typer.Option("--all", help="In all your networks.")] = False,
    network: NetworkOption = None,
    as_json: JsonOption = False,
) -> None:
    """Your accounts in the network: where, last sync, its counts, and the last error."""
    from kithkin.queries.sync_accounts import accounts_of

    ctx = session()
    accounts = list(accounts_of(ctx.user, None if every else chosen_network(ctx, network)))
    if as_json:
        from kithkin.schemas.sync_accounts import SyncAccountOut

        print_shape([SyncAccountOut.of(account) for account in accounts])
        return
    if not accounts:
        out.print("No accounts. Add one with `kith account add imap|caldav|ics`.")
        return
    from rich.table import Table

    zone = zoneinfo.ZoneInfo(ctx.user.time_zone)
    table = Table(box=None, padding=(0, 1))
    for column in ("id", "name", "kind", "where", "last sync", "result"):
        table.add_column(column)
    for account in accounts:
        when = account.last_sync_at
        result = _counts(account.last_counts)
        if account.failures:
            result = f"FAILING ({account.failures} in a row): {account.last_error}; {_then(account, zone)}"
        table.add_row(
            str(account.pk),
            account.name,
            account.kind,
            account.where,
            f"{when.astimezone(zone):%Y-%m-%d %H:%M}" if when else "never",
            result,
        )
    out.print(table)


def _then(account: SyncAccount, zone: zoneinfo.ZoneInfo) -> str:
    """What happens next to a failing account, and what the user can do."""
    if account.waits_for_user or account.next_sync_at is None:
        return (  # by id: a name has spaces ("ada@example.com at imap.example.com")
            f"it waits for you: `kith account password {account.pk}`, "
            f"or `kith account sync {account.pk}`"
        )
    return f"next try {account.next_sync_at.astimezone(zone):%Y-%m-%d %H:%M}"


def _account(name: str, network: str | None) -> SyncAccount:
    from kithkin.services.sync_accounts import account_for, account_named

    ctx = session()
    target = chosen_network(ctx, network)
    if name.isdigit():
        return account_for(ctx.user, target, int(name))
    return account_named(ctx.user, target, name)


@account_app.command("remove")
@handle_errors
def account_remove(
    name: Annotated[str, typer.Argument(help="The account's name or id (`kith account list`).")],
    network: NetworkOption = None,
) -> None:
    """Remove an account and its password; the interactions it logged stay."""
    from kithkin.services.sync_accounts import remove_account

    account = _account(name, network)
    remove_account(account.user, account.network, account.pk)
    out.print(f"Removed account {account.name!r}.")


@account_app.command("password")
@handle_errors
def account_password(
    name: Annotated[str, typer.Argument(help="The account's name or id (`kith account list`).")],
    password_stdin: PasswordStdin = False,
    network: NetworkOption = None,
) -> None:
    """Replace the account's password (a calendar URL's secret address); it syncs again at
    once, a refused password included."""
    from kithkin.models import SyncAccount
    from kithkin.services.sync_accounts import replace_secret

    account = _account(name, network)
    asked = (
        "The calendar's new secret address (URL)"
        if account.kind == SyncAccount.Kind.ICS
        else f"New password (an app password) for {account.settings.get('username', '')}"
    )
    replace_secret(account.user, account.network, account.pk, _secret(password_stdin, asked))
    out.print(
        f"Replaced the password of {account.name!r}: the worker syncs it within a minute, "
        "or run `kith account sync`."
    )


def _outcome_line(account: SyncAccount, outcome: SyncOutcome) -> str:
    return (
        f"{account.name}: {outcome.logged} logged, {outcome.updated} updated, "
        f"{outcome.removed} removed, {outcome.skipped} skipped, {outcome.suggested} suggested."
    )


@account_app.command("sync")
@handle_errors
def account_sync(
    name: Annotated[
        str | None, typer.Argument(help="The account's name or id; none: every account of yours.")
    ] = None,
    network: NetworkOption = None,
) -> None:
    """Sync now and print what each run did, or why it failed (exit code 1)."""
    from kithkin.queries.sync_accounts import accounts_of
    from kithkin.sync.outcome import SyncFailure
    from kithkin.sync.run import Busy, run_account

    if name is None:
        ctx = session()
        accounts = list(accounts_of(ctx.user, chosen_network(ctx, network)))
        if not accounts:
            out.print("No accounts. Add one with `kith account add imap|caldav|ics`.")
            return
    else:
        accounts = [_account(name, network)]
    failed = False
    for account in accounts:
        try:
            out.print(_outcome_line(account, run_account(account)))
        except (SyncFailure, Busy) as exc:
            failed = True
            err.print(f"{account.name}: failed: {exc}")
    if failed:
        raise typer.Exit(1)


@account_app.command("suggested")
@handle_errors
def account_suggested(
    add: Annotated[
        str, typer.Option("--add", help="Add the person who writes from this address.")
    ] = "",
    dismiss: Annotated[
        str, typer.Option("--dismiss", help="Not now: stop suggesting this address.")
    ] = "",
    network: NetworkOption = None,
) -> None:
    """People your synced mail has often who are not in the network: suggested, never added
    by themselves (the web's Triage shows them too)."""
    from kithkin import refs
    from kithkin.queries.sync_accounts import suggested_correspondents
    from kithkin.services.sync_accounts import add_correspondent, dismiss_correspondent

    ctx = session()
    target = chosen_network(ctx, network)
    if add:
        person = add_correspondent(ctx.user, target, add)
        out.print(f"Added {person.full_name} ({refs.PERSON(person.pk)}).")
    if dismiss:
        dismiss_correspondent(ctx.user, target, dismiss)
        out.print(f"{dismiss} is no longer suggested.")
    if add or dismiss:
        return
    found = suggested_correspondents(ctx.user, target)
    if not found:
        out.print("No one to suggest: nobody unknown writes to you or from you often.")
        return
    from rich.table import Table

    table = Table(box=None, padding=(0, 1))
    for column in ("email", "name", "messages", "account"):
        table.add_column(column)
    for suggestion in found:
        table.add_row(
            suggestion.email, suggestion.name, str(suggestion.messages), suggestion.account
        )
    out.print(table)


@account_app.command("rekey")
@handle_errors
def account_rekey(
    old_key_stdin: Annotated[
        bool,
        typer.Option("--old-key-stdin", help="Read the old secret key from standard input."),
    ] = False,
) -> None:
    """After the secret key changed: encrypt every account's password again under the new
    key, given the old one (docs/accounts.md)."""
    from kithkin.services.sync_accounts import rekey

    old = _secret(old_key_stdin, "The old secret key")
    changed = rekey(old)
    out.print(f"Encrypted the secrets of {changed} account{'s' if changed != 1 else ''} again.")


COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"account": account_app}
