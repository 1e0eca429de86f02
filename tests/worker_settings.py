"""Kithkin's settings plus the job the racing worker processes share (tests/worker_race.py):
``DJANGO_SETTINGS_MODULE=tests.worker_settings`` with the repository on PYTHONPATH."""

from kithkin.settings import *  # noqa: F403

EXTRA_JOB_MODULES = ["tests.worker_race"]
