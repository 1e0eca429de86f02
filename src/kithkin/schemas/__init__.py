"""Typed shapes of every record Kithkin shows to another program: the API's responses and
every `kith ... --json` (docs/cli.md shows each). One module per aggregate; each shape has
one builder (``SomethingOut.of(...)``), so there is exactly one place turning a record
into JSON. Summary shapes (list rows) and detail shapes are told apart by name
(``OrganizationRowOut``, ``OrganizationDetailOut``); ``...In`` shapes are what creating a
record takes.

Pydantic is heavy to import: interfaces import these modules only on the code path that
prints or returns JSON, never at start-up. This package imports nothing itself.
"""
