"""The `kith` process's command tree, loaded lazily: a command's module is imported (and
its options built) only when that command runs.

``cli/app.py`` registers every command eagerly (``app``: the documentation and the tests
read it); ``kith`` itself runs ``lazy_app()``, whose group knows each command only by the
entry of ``INDEX`` — its module, the attribute that holds it, and the first sentence of its
help, which is all `kith --help` shows. `kith --help` so imports neither Django nor Rich nor
any command module, and `kith today` only ``agenda_commands``.

``INDEX`` is derived from ``app`` and checked against it by tests/test_cli_startup.py
(which prints the entries to paste when a command is added or its help changes). A
command ``app`` has and ``INDEX`` lacks still runs: the whole tree is built then.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import typer
import typer.core
import typer.main

HELP = "Kithkin: keep your professional relationships alive."

# name -> (module in kithkin.cli, attribute: a command function or a typer.Typer group,
# its help up to the end of the first sentence), in the order `kith --help` lists them.
INDEX: dict[str, tuple[str, str, str]] = {
    "init": (
        "setup_commands",
        "init",
        "Set up Kithkin: the data directory, the database, you (your user) and *me*.",
    ),
    "password": (
        "setup_commands",
        "password",
        "Set your password for the web app, so it logs you in as the same user as `kith`.",
    ),
    "today": (
        "agenda_commands",
        "today",
        "The agenda: follow-ups due, check-ins due within today's budget, what comes next.",
    ),
    "add": ("people_commands", "add", "Add a person to the network."),
    "log": (
        "agenda_commands",
        "log",
        "Log an interaction; it resets the check-in of everyone in it.",
    ),
    "done": (
        "agenda_commands",
        "done",
        "Mark follow-ups done; a recurring one is scheduled again.",
    ),
    "snooze": (
        "agenda_commands",
        "snooze",
        "Put off a check-in with a person, or a follow-up, until a later date.",
    ),
    "show": (
        "people_commands",
        "show",
        "The person card: who they are, how to reach them, timeline, follow-ups, due date.",
    ),
    "find": (
        "people_commands",
        "find",
        "Search people by name, organization, email, tag, notes and conversations.",
    ),
    "people": (
        "people_commands",
        "people",
        "List people, most overdue first when --due; or change everyone matching at once.",
    ),
    "edit": (
        "people_commands",
        "edit",
        "Change a person's names, emails, phones, jobs, circle or check-in cadence; add profiles and websites.",
    ),
    "dupes": (
        "duplicates_commands",
        "dupes",
        "People who may be recorded twice, likeliest first, and why.",
    ),
    "merge": (
        "duplicates_commands",
        "merge",
        "Merge the second person into the first: everything of both is kept.",
    ),
    "circles": (
        "network_commands",
        "circles",
        "Show the circles and their check-in cadences, or change one.",
    ),
    "settings": (
        "network_commands",
        "settings",
        "Show or change your time zone, the network's daily outreach budget and its phone region.",
    ),
    "demo": (
        "setup_commands",
        "demo",
        'Load a realistic generated network ("Demo") to explore, and switch to it.',
    ),
    "serve": (
        "serve_commands",
        "serve",
        "Serve the web app (gunicorn, production-grade) on the configured database.",
    ),
    "worker": (
        "worker_commands",
        "worker",
        "Run the background work (scheduled jobs and the task queue) until stopped.",
    ),
    "doctor": (
        "doctor_commands",
        "doctor",
        "Check that Kithkin can do its work: the background worker and the rest; exit 1 on a problem.",
    ),
    "import": (
        "import_commands",
        "import_",
        "Import people and interactions: parse, plan (new, updated, merged, skipped, errors), then apply everything in one transaction.",
    ),
    "export": (
        "export_commands",
        "export",
        "Export the current network: vCard 4.0 (or 3.0), CSV, or lossless Kithkin JSON.",
    ),
    "backup": (
        "backup_commands",
        "backup",
        "Back up the whole install while it runs (a consistent copy), or --verify a backup.",
    ),
    "restore": (
        "backup_commands",
        "restore",
        "Restore a backup into an empty data directory or database, then bring it up to date.",
    ),
    "undo": (
        "agenda_commands",
        "undo",
        "Revert your last action in this network: done, snooze, log, thank or celebrate.",
    ),
    "met": (
        "event_commands",
        "met",
        "Record meeting someone at an event: a follow-up within 48 hours, with a draft.",
    ),
    "join": (
        "membership_commands",
        "join",
        "Record my membership of an organization, or update it (role, renewal date, since).",
    ),
    "renew": (
        "membership_commands",
        "renew",
        "Record that I renewed a membership: it now renews on --until.",
    ),
    "leave": (
        "membership_commands",
        "leave",
        "End my membership of an organization today; it stays as a past membership.",
    ),
    "draft": (
        "draft_commands",
        "draft",
        "A message to send, filled from what you know about them, ready to copy.",
    ),
    "brief": (
        "draft_commands",
        "brief",
        "The prep brief: what to remember before meeting them, on one screen.",
    ),
    "give": (
        "ledger_commands",
        "give",
        "Record value you gave someone: advice, an introduction, a referral...",
    ),
    "got": (
        "ledger_commands",
        "got",
        'Record value someone gave you; until you thank them it comes up under "Say thanks".',
    ),
    "intro": (
        "ledger_commands",
        "intro",
        "Record that you introduced two people: an introduction given to each, and one message interaction with both.",
    ),
    "thank": (
        "ledger_commands",
        "thank",
        'Log a thank-you to someone: everything they gave you that was not thanked yet is marked thanked, and it leaves "Say thanks".',
    ),
    "ledger": (
        "ledger_commands",
        "ledger",
        "Value given and received: with one person (balance, last given, every exchange), or across the network (who helped you most, whom to give back to).",
    ),
    "celebrate": (
        "milestone_commands",
        "celebrate",
        "Celebrate someone's occasion, or offer help with a challenge; logs an interaction.",
    ),
    "share": (
        "opportunity_commands",
        "share",
        "Share an opportunity with someone (logs a message to them); with --outcome, record what came of it.",
    ),
    "triage": (
        "triage_commands",
        "triage",
        "People with no circle: the circle suggested for each and the evidence for it.",
    ),
    "strength": (
        "strength_commands",
        "strength",
        "Relationship strength from me (0-100), with its words; no NAME: the strongest and the fading ties.",
    ),
    "mcp": (
        "mcp_commands",
        "mcp",
        "Serve the MCP tools on stdin/stdout for a local assistant, as you (docs/mcp.md).",
    ),
    "digest": (
        "digest_commands",
        "digest",
        "Today's digest: the plan of each of your networks with its links, as emailed.",
    ),
    "history": (
        "history_commands",
        "history",
        "What changed about a person, newest first: who, when, and each field before → after.",
    ),
    "delete": (
        "history_commands",
        "delete",
        "Move a person to the trash, with what only concerned them; restorable for 30 days.",
    ),
    "path": (
        "insight_commands",
        "path",
        "Warm-intro paths: the best ways to reach a person, or anyone at an organization, through people who know them, each hop explained.",
    ),
    "stats": (
        "insight_commands",
        "stats",
        "How the practice is going: the Dashboard's figures (interactions, circles kept on cadence, follow-ups on time, given and received, new people, opportunities).",
    ),
    "photo": (
        "photo_commands",
        "photo",
        "A person's photo: set it from an image file, save it to one, or remove it.",
    ),
    "network": ("network_commands", "network_app", "List your networks and switch between them."),
    "follow-up": (
        "agenda_commands",
        "follow_up_app",
        "Add, edit or delete something you owe someone.",
    ),
    "event": (
        "event_commands",
        "event_app",
        "Events I go to (conferences, meetups, webinars...) and the people I met there.",
    ),
    "org": (
        "membership_commands",
        "org_app",
        "Organizations: companies, professional associations, schools, communities.",
    ),
    "mentor": (
        "mentorship_commands",
        "mentor_app",
        "Your mentors, and every mentorship: list, show, log sessions, pause, resume, end.",
    ),
    "mentee": ("mentorship_commands", "mentee_app", "The people you mentor."),
    "milestone": (
        "milestone_commands",
        "milestone_app",
        "Milestones to celebrate and challenges to help with.",
    ),
    "opp": (
        "opportunity_commands",
        "opp_app",
        "Opportunities: jobs, clients, talks, grants — for me or to share.",
    ),
    "token": (
        "token_commands",
        "token_app",
        "Personal access tokens for the API: create, list, revoke.",
    ),
    "feed": (
        "feed_commands",
        "feed_app",
        "The calendar feed of a network: its URL (made once), or revoke it.",
    ),
    "dav": (
        "dav_commands",
        "dav_app",
        "CardDAV: app passwords a contacts program (iOS, macOS, DAVx5, Thunderbird) signs in with.",
    ),
    "mfa": (
        "two_factor_commands",
        "two_factor_app",
        "Two-factor sign-in to the web app: reset it for someone who lost their app.",
    ),
    "webhook": (
        "webhook_commands",
        "webhook_app",
        "Webhooks: a network's changes POSTed, signed, to your URLs (docs/webhooks.md).",
    ),
    "account": (
        "account_commands",
        "account_app",
        "Mail and calendar accounts that log interactions by themselves (docs/accounts.md).",
    ),
    "trash": (
        "history_commands",
        "trash_app",
        "What was deleted in the last 30 days: list it, or restore it with every link.",
    ),
}


def new_app(**settings: Any) -> typer.Typer:
    """The root of `kith`: its help, its --version, and how it parses."""
    app = typer.Typer(
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        **settings,
    )
    app.callback()(root)
    return app


def _version(value: bool) -> None:
    if value:
        from kithkin import __version__

        typer.echo(f"kith {__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Kithkin: keep your professional relationships alive."""


def load(name: str) -> Any:
    """The command function or typer.Typer group named ``name``, its module imported."""
    module, attribute, _ = INDEX[name]
    return getattr(importlib.import_module(f"kithkin.cli.{module}"), attribute)


def build(name: str) -> Any:
    """The click command of ``name`` as the whole tree builds it, built alone."""
    target = load(name)
    alone = new_app()
    if isinstance(target, typer.Typer):
        alone.add_typer(target, name=name)
    else:
        alone.command(name)(target)
    return typer.main.get_command(alone).commands[name]  # type: ignore[attr-defined]


class _Listed(typer.core.TyperCommand):
    """A command as `kith --help` lists it; replaced by the real one before it runs."""


class LazyGroup(typer.core.TyperGroup):
    """The root group: every command listed from INDEX, the one invoked built on use."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, (_, _, help_text) in INDEX.items():
            self.commands.setdefault(name, _Listed(name=name, help=help_text))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Listed) and name is not None:
            command = self.commands[name] = build(name)
        return name, command, rest


def lazy_app(argv: list[str]) -> typer.Typer:
    """What `kith ARGV` runs: the lazy tree, or the whole one for a command INDEX lacks."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    if first is not None and first not in INDEX:
        from kithkin.cli.app import app

        return app
    return new_app(cls=LazyGroup)
