"""Settings come only from KITH_* variables, and a bad value names its variable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kithkin import settings as kith_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("variable", "value", "call"),
    [
        ("KITH_DEBUG", "maybe", lambda: kith_settings.env_bool("KITH_DEBUG", False)),
        (
            "KITH_TIME_ZONE",
            "Mars/Olympus",
            lambda: kith_settings.env_time_zone("KITH_TIME_ZONE", "UTC"),
        ),
        (
            "KITH_LOG_LEVEL",
            "LOUD",
            lambda: kith_settings.env_choice("KITH_LOG_LEVEL", "INFO", ("INFO",)),
        ),
        (
            "KITH_TRUSTED_PROXIES",
            "10.0.0.1, proxy.local",
            lambda: kith_settings.env_networks("KITH_TRUSTED_PROXIES"),
        ),
    ],
)
def test_bad_values_are_rejected_naming_the_variable(monkeypatch, variable, value, call):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured, match=variable):
        call()


def test_trusted_proxies_are_addresses_and_blocks(monkeypatch):
    monkeypatch.setenv("KITH_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1,")
    assert [str(n) for n in kith_settings.env_networks("KITH_TRUSTED_PROXIES")] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]
    monkeypatch.delenv("KITH_TRUSTED_PROXIES")
    assert kith_settings.env_networks("KITH_TRUSTED_PROXIES") == []


@pytest.mark.parametrize(
    "url",
    ["mysql://u@h/db", "postgres://host", "sqlite:///x.db", "postgres://u@h:notaport/db"],
)
def test_database_url_must_be_a_complete_postgres_url(url):
    with pytest.raises(ImproperlyConfigured, match="KITH_DATABASE_URL"):
        kith_settings.database_from_url("KITH_DATABASE_URL", url)


def test_database_url_is_parsed():
    db = kith_settings.database_from_url(
        "KITH_DATABASE_URL", "postgresql://kith:p%40ss@db.local:5433/kithkin"
    )
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "kith",
        "p@ss",
        "db.local",
        "5433",
        "kithkin",
    )


def test_sqlite_is_the_default_with_wal_and_a_busy_timeout(tmp_path):
    db = kith_settings.sqlite_database(tmp_path)
    assert db["NAME"] == tmp_path / "kithkin.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] == 20


def test_both_databases_keep_a_connection_across_requests(tmp_path):
    postgres = kith_settings.database_from_url("KITH_DATABASE_URL", "postgres://u@h/kithkin")
    sqlite = kith_settings.sqlite_database(tmp_path)
    assert postgres["CONN_MAX_AGE"] == sqlite["CONN_MAX_AGE"] == 60


@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_just_in_time():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_kith_command_reports_a_bad_setting_in_one_line(tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "kith"), "today"],
        env={"PATH": "/usr/bin:/bin", "KITH_DATA_DIR": str(tmp_path), "KITH_DEBUG": "perhaps"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: Configuration: KITH_DEBUG='perhaps' is not a boolean: use 1/0, true/false, yes/no."
    ]


def test_every_setting_is_documented():
    table = (ROOT / "docs" / "settings.md").read_text()
    for variable in kith_settings.SETTINGS_DOC:
        assert f"`{variable}`" in table, f"{variable} is missing from docs/settings.md"


def test_the_suite_runs_on_the_database_it_was_asked_for(db):
    """CI runs the suite twice; this fails if the PostgreSQL run silently used SQLite."""
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("KITH_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.parametrize("value", ["0", "65", "two", "1.5"])
def test_worker_count_must_be_a_whole_number_in_range(monkeypatch, value):
    monkeypatch.setenv("KITH_WORKERS", value)
    with pytest.raises(ImproperlyConfigured, match=r"KITH_WORKERS=.* from 1 to 64"):
        kith_settings.env_int("KITH_WORKERS", 3, 1, 64)


def test_worker_count_defaults_to_the_cores_and_can_be_set(monkeypatch):
    monkeypatch.delenv("KITH_WORKERS", raising=False)
    assert kith_settings.env_int("KITH_WORKERS", 5, 1, 64) == 5
    monkeypatch.setenv("KITH_WORKERS", " 7 ")
    assert kith_settings.env_int("KITH_WORKERS", 5, 1, 64) == 7
