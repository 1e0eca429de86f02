"""Kithkin: a self-hosted relationship manager for a professional network."""

__version__ = "0.1.0"
