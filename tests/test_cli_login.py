"""One person, one login: `kith init` says who you are, `kith password` sets the web
password of that same user, and `kith init` and `kith serve` say how to log in."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kithkin.cli import setup_commands
from kithkin.cli.app import app
from kithkin.models import Person, User

pytestmark = pytest.mark.django_db

GOOD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def data_dir_and_fast_hasher(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # `kith init` writes the secret key there
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def terminal(monkeypatch):
    """Someone is typing: the commands may ask."""
    monkeypatch.setattr("kithkin.cli.context.can_ask", lambda: True)


def kith(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def me() -> Person:
    return Person.objects.get(is_self=True)


def test_init_with_a_name_and_an_email_makes_you_and_me():
    result = kith("init", "--name", "Sam Writer", "--email", "Sam@Example.org", "--username", "sam")
    assert result.exit_code == 0, result.output
    sam = User.objects.get()
    assert (sam.username, sam.get_full_name(), sam.email) == (
        "sam",
        "Sam Writer",
        "Sam@example.org",
    )
    assert not sam.has_usable_password()
    assert me().full_name == "Sam Writer"
    assert "You are Sam Writer (sam, " in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "Web app (`kith serve`): No web password for sam yet: run `kith password` to set one, "
        "then log in as sam at http://localhost:8000/"
    )


def test_init_on_a_terminal_asks_who_you_are(terminal):
    result = kith("init", "--username", "sam", input="Sam Writer\nsam@\nsam@example.org\n")
    assert result.exit_code == 0, result.output
    assert "Your name [" in result.stdout
    assert "Error: 'sam@' is not a valid email address" in result.stdout  # asked again
    sam = User.objects.get()
    assert (sam.get_full_name(), sam.email) == ("Sam Writer", "sam@example.org")
    assert me().full_name == "Sam Writer"


def test_init_on_a_terminal_takes_the_defaults_on_enter(terminal):
    result = kith("init", "--username", "sam", input="\n\n")
    assert result.exit_code == 0, result.output
    assert User.objects.get().email == ""
    assert me().full_name == setup_commands._default_full_name()


def test_init_on_a_terminal_asks_only_what_options_did_not_say(terminal):
    result = kith("init", "--username", "sam", "--email", "sam@example.org", input="Sam Writer\n")
    assert result.exit_code == 0, result.output
    assert "Your email" not in result.stdout
    assert User.objects.get().email == "sam@example.org"


def test_init_without_a_terminal_or_a_name_asks_nothing_and_uses_the_systems():
    result = kith("init", "--username", "sam")  # no input at all: a prompt would abort
    assert result.exit_code == 0, result.output
    assert "Your name" not in result.stdout
    assert me().full_name == setup_commands._default_full_name()


def test_init_again_asks_nothing(terminal):
    kith("init", "--name", "Sam Writer", "--username", "sam")
    result = kith("init")
    assert result.exit_code == 0
    assert "already set up" in result.stdout and "Your name" not in result.stdout
    assert User.objects.count() == 1


def test_init_refuses_an_invalid_email_option():
    result = kith("init", "--name", "Sam Writer", "--email", "sam@")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: email: 'sam@' is not a valid email address")
    assert not User.objects.exists()


@pytest.fixture
def sam():
    assert kith("init", "--name", "Sam Writer", "--username", "sam").exit_code == 0
    return User.objects.get(username="sam")


def test_password_from_stdin(sam):
    result = kith("password", "--stdin", input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Password set. Log in to the web app (`kith serve`) as sam.\n"
    assert User.objects.get(pk=sam.pk).check_password(GOOD)


def test_password_asked_twice_on_a_terminal(sam, terminal):
    result = kith("password", input=f"{GOOD}\nsomething else\n{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "The two entered values do not match." in result.output
    assert GOOD not in result.output  # hidden
    assert User.objects.get(pk=sam.pk).check_password(GOOD)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("\n", "Error: password: must not be empty"),
        ("", "Error: password: must not be empty"),
        (
            "short\n",
            "Error: password: This password is too short. It must contain at least 10 characters.",
        ),
        ("Sam Writer\n", "Error: password: The password is too similar to the "),
    ],
)
def test_a_weak_password_is_one_line_and_exit_code_2(sam, typed, message):
    result = kith("password", "--stdin", input=typed)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
    assert not User.objects.get(pk=sam.pk).has_usable_password()


def test_password_without_a_terminal_or_stdin_does_not_wait(sam):
    result = kith("password")
    assert result.exit_code == 2
    assert "kith password --stdin" in result.stderr


def test_password_is_for_the_user_kith_acts_as(sam, owner, settings):
    settings.CLI_USERNAME = "owner"
    assert kith("password", "--stdin", input=GOOD + "\n").exit_code == 0
    assert User.objects.get(username="owner").check_password(GOOD)
    assert not User.objects.get(username="sam").has_usable_password()


# How to log in, as `kith serve` says it -------------------------------------------------


@pytest.fixture
def served(monkeypatch):
    """`kith serve` up to the point where gunicorn would start."""
    from kithkin import server

    monkeypatch.setattr(server, "run", lambda *args, **options: None)

    def serve() -> list[str]:
        result = kith("serve")
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    return serve


def test_serve_says_to_set_a_password_then_who_to_log_in_as(sam, served):
    assert (
        "No web password for sam yet: run `kith password` to set one, "
        "then log in as sam at http://localhost:8000/"
    ) in served()
    kith("password", "--stdin", input=GOOD + "\n")
    assert "Log in as sam at http://localhost:8000/" in served()


def test_serve_keeps_the_demo_login_line(sam, served, settings, tmp_path):
    (tmp_path / "demo-login.txt").write_text("demo / s3cret\n")
    lines = served()
    assert lines[1] == "Demo login: demo / s3cret"
    assert lines[2].startswith("No web password for sam yet")


def test_serve_before_anyone_exists_points_to_sign_up(served, settings):
    assert (
        served()[1]
        == "Create your account at http://localhost:8000/signup/ (or run `kith init` first)."
    )
    settings.SIGNUP = False
    assert served()[1] == "No user yet: run `kith init`, then `kith password`."


@pytest.mark.parametrize(
    ("name", "email", "login"),
    [
        ("Sam Writer", "", "sam"),
        ("Sam Writer", "s.writer@example.org", "s.writer"),
        ("Zoë Ärmel", "", "zoe"),
    ],
)
def test_the_login_comes_from_who_you_said_you_are(name, email, login):
    from kithkin.cli.setup_commands import login_for

    assert login_for(name, email) == login
