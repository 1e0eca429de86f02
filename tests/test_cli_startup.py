"""`kith` starts light: the process's lazy command tree (cli/commands.py) is the tree of
cli/app.py, listed and run the same; `--help` and `--version` need neither Django nor the
command modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kithkin.cli import commands
from kithkin.cli.app import app


def _first_sentence(help_text: str) -> str:
    """What click's short help reads of a help text: its first paragraph up to the end of
    the first sentence."""
    words = help_text.split("\n\n")[0].split()
    for index, word in enumerate(words):
        if word.endswith("."):
            return " ".join(words[: index + 1])
    return " ".join(words)


def derived_index() -> dict[str, tuple[str, str, str]]:
    """INDEX as cli/app.py's tree says it should read."""
    group = typer.main.get_command(app)
    targets: dict[str, Any] = {info.name: info.callback for info in app.registered_commands}
    targets.update({info.name: info.typer_instance for info in app.registered_groups})
    index = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        target = targets[name]
        module_name = (
            target.__module__
            if not isinstance(target, typer.Typer)
            else next(
                m.__name__
                for m in list(sys.modules.values())
                if getattr(m, "__name__", "").startswith("kithkin.cli.")
                and any(value is target for value in vars(m).values())
            )
        )
        module = sys.modules[module_name]
        attribute = next(key for key, value in vars(module).items() if value is target)
        index[name] = (
            module_name.removeprefix("kithkin.cli."),
            attribute,
            _first_sentence(command.help or ""),
        )
    return index


def test_the_index_is_the_command_tree():
    derived = derived_index()
    if derived != commands.INDEX:
        listing = "\n".join(f"    {name!r}: {entry!r}," for name, entry in derived.items())
        pytest.fail(f"cli/commands.py's INDEX should read:\n{listing}")
    assert list(derived) == list(commands.INDEX)


def _both(*args: str, columns: int = 80) -> tuple[Any, Any]:
    """`kith ARGS` through the whole tree and through the lazy one."""
    runner = CliRunner()
    env = {"COLUMNS": str(columns)}
    whole = runner.invoke(app, list(args), env=env, prog_name="kith")
    lazy = runner.invoke(commands.lazy_app(list(args)), list(args), env=env, prog_name="kith")
    return whole, lazy


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_help_lists_the_same_commands(columns):
    whole, lazy = _both("--help", columns=columns)
    assert lazy.exit_code == whole.exit_code == 0
    assert lazy.output == whole.output
    assert "dupes      People who may be recorded twice" in lazy.output


def test_no_arguments_and_unknown_commands_answer_the_same():
    for args in ((), ("dupe",), ("--nope",), ("--version",)):
        whole, lazy = _both(*args)
        assert (lazy.exit_code, lazy.output) == (whole.exit_code, whole.output), args


@pytest.mark.parametrize("name", list(commands.INDEX))
def test_each_command_has_the_same_help_and_usage_errors(name):
    whole, lazy = _both(name, "--help")
    assert (lazy.exit_code, lazy.output) == (whole.exit_code, whole.output)
    whole, lazy = _both(name, "--no-such-option")
    assert (lazy.exit_code, lazy.output) == (whole.exit_code, whole.output)


def _imported_by(*args: str, data_dir: str = "/nonexistent/kith-startup-test") -> set[str]:
    code = (
        "import sys, json; sys.argv = ['kith', *json.loads(sys.argv[1])]\n"
        "from kithkin.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(list(args))],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KITH_DATA_DIR": data_dir},
    )
    return set(json.loads(result.stderr.rsplit("\nMODULES ", 1)[1]))


@pytest.mark.slow
@pytest.mark.parametrize("args", [("--help",), ("--version",), ()])
def test_help_and_version_need_no_django_and_no_command_module(args):
    modules = _imported_by(*args)
    assert not {name for name in modules if name.split(".")[0] in ("django", "rich", "pydantic")}
    assert not {name for name in modules if name.endswith("_commands")}


@pytest.mark.slow
def test_a_command_imports_its_own_module_only():
    modules = _imported_by("dupes", "--help")
    assert {name for name in modules if name.endswith("_commands")} == {
        "kithkin.cli.duplicates_commands"
    }


@pytest.mark.slow
def test_reading_the_agenda_loads_no_validator_and_no_api(tmp_path):
    """Checking an email address or a phone number is for writes, and the API's framework
    (ninja, pydantic) for the server: together ~250 ms of every command's start on a busy
    machine (bench/cli_startup.py), and `kith today` needs none of them."""
    data = str(tmp_path / "data")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "kith"),
            "init",
            "--name",
            "Sam Writer",
            "--username",
            "sam",
            "--time-zone",
            "Europe/Paris",
        ],
        capture_output=True,
        check=True,
        env={**os.environ, "KITH_DATA_DIR": data},
    )
    modules = _imported_by("today", data_dir=data)
    assert "kithkin.queries.agenda" in modules  # it did read the agenda
    loaded = {name.split(".")[0] for name in modules}
    assert not loaded & {"email_validator", "phonenumbers", "ninja", "pydantic"}
