"""Every real file in ../shared/corpus, end to end: parse, plan, apply — then again,
which must change nothing. Broken files fail with the importer's own clear error."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kithkin.importers.apply import apply_plan
from kithkin.importers.formats import ImportContext, parse
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ImportFileError
from kithkin.models import Interaction, Person

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
# Files that cannot be imported at all, and must say so clearly (file: what the error says).
WHOLE_FILE_ERRORS = {
    "Connections_2021-11_importJL_excelResaved_trimmedCols.csv": "no 'First Name' and 'Last Name' columns",
}
FOLDER_FORMAT = {
    "vcard": "vcard",
    "linkedin": "linkedin",
    "google": "google",
    "outlook": "outlook",
    "ics": "ics",
    "mbox": "mbox",
}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for folder in FOLDER_FORMAT for p in (CORPUS / folder).glob("*") if p.is_file())


@pytest.fixture(autouse=True)
def _corpus_present():
    if not CORPUS.is_dir():
        message = f"the importer corpus is absent: expected {CORPUS} (../shared/corpus)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.django_db
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_imports_once_and_only_once(network, owner, path):
    context = ImportContext(
        my_addresses=frozenset({"owner@example.org"}), until=dt.datetime(2026, 2, 20, tzinfo=dt.UTC)
    )
    fmt = FOLDER_FORMAT[path.parent.name]
    if path.name in WHOLE_FILE_ERRORS:
        with pytest.raises(ImportFileError) as caught:
            parse(fmt, path, context)
        assert str(caught.value).startswith(f"{path}: ")  # names the file first
        assert WHOLE_FILE_ERRORS[path.name] in str(caught.value)
        return
    parsed = parse(fmt, path, context)
    plan = plan_import(network, parsed)
    for error in plan.errors:
        assert error.line >= 1 and error.field and error.message
    apply_plan(network, owner, plan)
    people = Person.objects.filter(network=network, is_self=False).count()
    assert people == plan.summary["new"]
    assert people <= len(parsed.contacts)
    interactions = Interaction.objects.filter(network=network).count()

    again = plan_import(network, parse(fmt, path, context))
    assert not again.changes_anything, [c.changes for c in again.contacts if c.changes]
    apply_plan(network, owner, again)
    assert Person.objects.filter(network=network, is_self=False).count() == people
    assert Interaction.objects.filter(network=network).count() == interactions


def test_the_corpus_is_all_covered():
    assert len(corpus_files()) >= 70, (
        "fewer corpus files than expected: is ../shared/corpus complete?"
    )
