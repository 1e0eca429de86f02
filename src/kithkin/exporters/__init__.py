"""Formats out: vCard, CSV and Kithkin's own lossless JSON. Each is read-only."""
