"""The import-linter contracts of pyproject.toml: the interfaces (api, cli, web) never
import each other, and the layers keep their order (models, access, queries, services,
formats, interfaces). Known exceptions are listed there with the reason for each."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_layers_and_the_independence_of_the_interfaces_hold(capsys):
    from importlinter.cli import lint_imports

    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert status == 0, capsys.readouterr().out
