"""The `kith` command tree. Each command lives in a module by subject; this file only
registers them, in the order `kith --help` shows. The `kith` process loads the tree lazily
from ``commands.INDEX``, which a test keeps equal to this one."""

from __future__ import annotations

from collections.abc import Callable

from kithkin.cli import (
    account_commands,
    agenda_commands,
    backup_commands,
    dav_commands,
    digest_commands,
    doctor_commands,
    draft_commands,
    duplicates_commands,
    event_commands,
    export_commands,
    feed_commands,
    history_commands,
    import_commands,
    insight_commands,
    ledger_commands,
    mcp_commands,
    membership_commands,
    mentorship_commands,
    milestone_commands,
    network_commands,
    opportunity_commands,
    people_commands,
    photo_commands,
    serve_commands,
    setup_commands,
    strength_commands,
    token_commands,
    triage_commands,
    two_factor_commands,
    webhook_commands,
    worker_commands,
)
from kithkin.cli.commands import new_app

app = new_app()


COMMANDS: dict[str, Callable[..., None]] = {
    "init": setup_commands.init,
    "password": setup_commands.password,
    "today": agenda_commands.today,
    "add": people_commands.add,
    "log": agenda_commands.log,
    "done": agenda_commands.done,
    "snooze": agenda_commands.snooze,
    "show": people_commands.show,
    "find": people_commands.find,
    "people": people_commands.people,
    "edit": people_commands.edit,
    "dupes": duplicates_commands.dupes,
    "merge": duplicates_commands.merge,
    "circles": network_commands.circles,
    "settings": network_commands.settings,
    "demo": setup_commands.demo,
    "serve": serve_commands.serve,
    "worker": worker_commands.worker,
    "doctor": doctor_commands.doctor,
    "import": import_commands.import_,
    "export": export_commands.export,
}
COMMANDS["backup"] = backup_commands.backup
COMMANDS["restore"] = backup_commands.restore
# The commands of each practice (DESIGN.md §1), in their own modules.
SUBJECTS = (
    agenda_commands,  # `undo`, and `follow-up add|edit|delete`
    event_commands,
    membership_commands,
    draft_commands,
    mentorship_commands,
    ledger_commands,
    milestone_commands,
    opportunity_commands,
    triage_commands,
    strength_commands,  # `strength`: relationship strength, fading ties
    token_commands,  # `token create|list|revoke`
    feed_commands,  # `feed url|revoke`: the calendar feed
    dav_commands,  # `dav password|passwords|revoke`: CardDAV's app passwords
    mcp_commands,  # `mcp`: the MCP tools over stdio
    two_factor_commands,  # `mfa reset`
    webhook_commands,  # `webhook add|list|remove|test|enable`
    digest_commands,  # `digest`: today's digest, printed or sent
    account_commands,  # `account add|list|remove|sync|rekey`: synced mail and calendars
    history_commands,  # `history`, `delete`, `trash` and `trash restore`
    insight_commands,  # `path`, `stats`: warm-intro paths, the practice's figures
    photo_commands,  # `photo`: a person's photo
)
for subject in SUBJECTS:
    COMMANDS.update(subject.COMMANDS)
for name, function in COMMANDS.items():
    app.command(name)(function)
app.add_typer(network_commands.network_app, name="network")
for subject in SUBJECTS:
    for name, group in subject.GROUPS.items():
        app.add_typer(group, name=name)
