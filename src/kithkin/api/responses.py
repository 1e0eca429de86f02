"""What each operation documents it may answer: its own shape, and the problems."""

from __future__ import annotations

from typing import Any

from kithkin.schemas.api import Problem

# Every authenticated operation: no or a bad token, the rate limit, a network or record
# out of reach.
READ_PROBLEMS = (401, 404, 429)
WRITE_PROBLEMS = (*READ_PROBLEMS, 403, 409, 413, 422)


def reading(shape: Any) -> dict[int, Any]:
    return {200: shape, **dict.fromkeys(READ_PROBLEMS, Problem)}


def writing(shape: Any, status: int = 200) -> dict[int, Any]:
    return {status: shape, **dict.fromkeys(WRITE_PROBLEMS, Problem)}
