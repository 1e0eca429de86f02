"""The errors services raise. Interfaces turn them into exit codes, 4xx answers or messages."""

from __future__ import annotations

from collections.abc import Sequence


class KithError(Exception):
    """Something the user can act on; its message is one clear line."""

    exit_code = 1


class Misconfigured(KithError):
    """A KITH_* setting with a value Kithkin cannot use (a usage error: exit code 2)."""

    exit_code = 2


class InvalidInput(KithError):
    """A value the user gave is not acceptable. ``field`` names it as the user typed it."""

    exit_code = 2

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(KithError):
    """No such record in the caller's network (or the caller may not see it)."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


class Ambiguous(KithError):
    """A name matched several records; ``candidates`` lists them for the user to choose."""

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class Forbidden(KithError):
    """The caller may see this network but not change it (a viewer)."""

    exit_code = 3


class Throttled(KithError):
    """Too many attempts of this kind lately (sign-ins, sign-ups): wait and try again."""


class WrongPassword(KithError):
    """A sign-in whose username and password do not match (which of the two is not said)."""
