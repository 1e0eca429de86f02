"""Typed shapes of Kithkin's records: the API's responses and every `--json` of the CLI."""
