"""The JSON examples of docs/cli.md are shapes of kithkin.schemas too: each validates
strictly against the shape of the command it documents, so the docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from kithkin.schemas.agenda import AgendaOut
from kithkin.schemas.brief import BriefOut
from kithkin.schemas.doctor import DoctorOut
from kithkin.schemas.duplicates import DuplicatePairOut, MergeOut
from kithkin.schemas.events import EventListOut, MetOut
from kithkin.schemas.imports import ImportPlanOut
from kithkin.schemas.insights import PathSearchOut
from kithkin.schemas.mentorships import MentorshipOut
from kithkin.schemas.messages import DraftOut
from kithkin.schemas.milestones import OccasionOut
from kithkin.schemas.opportunities import MatchesOut, OpportunityDetailOut, ReportOut
from kithkin.schemas.organizations import OrganizationDetailOut
from kithkin.schemas.people import PersonCardOut
from kithkin.schemas.search import SearchOut

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

# The heading of each ```json example, and the shape it shows.
SHAPES: dict[str, Any] = {
    "kith today": AgendaOut,
    "kith show PERSON": PersonCardOut,
    "kith find QUERY": SearchOut,
    "kith dupes": list[DuplicatePairOut],
    "kith doctor": DoctorOut,
    "kith merge KEEP OTHER": MergeOut,
    "kith import FORMAT PATH": ImportPlanOut,
    "kith event list": EventListOut,
    "kith org show ORG": OrganizationDetailOut,
    "kith draft PERSON": DraftOut,
    "kith brief PERSON": BriefOut,
    "kith mentor list": list[MentorshipOut],
    "kith milestone list": list[OccasionOut],
    "kith opp show REF": OpportunityDetailOut,
    "kith opp match REF": MatchesOut,
    "kith opp report": ReportOut,
    "kith path TARGET": PathSearchOut,
}


def examples() -> list[tuple[str, str]]:
    """(heading, JSON text) of every ```json block, under the `### `kith ...`` above it."""
    found = []
    heading = ""
    for part in re.split(
        r"(^### [^\n]*$|^```json\n.*?^```$)", REFERENCE.read_text(), flags=re.M | re.S
    ):
        if part.startswith("### "):
            heading = part.removeprefix("### ").strip("`")
        elif part.startswith("```json"):
            found.append((heading, part.removeprefix("```json\n").removesuffix("```")))
    return found


def test_every_example_has_a_shape():
    assert {heading for heading, _ in examples()} == {*SHAPES, "kith event show EVENT"}


@pytest.mark.parametrize(("heading", "text"), examples(), ids=[h for h, _ in examples()])
def test_each_example_validates_against_its_shape(heading, text):
    if heading == "kith event show EVENT":  # the fields added to the list's: check those
        data = TypeAdapter(dict[str, Any]).validate_json(text)
        assert set(data) == {"notes", "tags", "met"}
        TypeAdapter(list[MetOut]).validate_python(data["met"], strict=False)
        return
    TypeAdapter(SHAPES[heading]).validate_json(text, strict=True)
