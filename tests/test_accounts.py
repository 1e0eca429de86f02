"""Signing up on the web and changing one's password."""

from __future__ import annotations

import pytest

from kithkin import access
from kithkin.errors import InvalidInput, Throttled
from kithkin.models import Network, Person, User
from kithkin.services.accounts import (
    change_password,
    create_user,
    set_password,
    sign_up,
    update_settings,
)
from kithkin.services.throttle import MAX_SIGN_UPS_PER_IP, SIGN_UP_WINDOW
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db

VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
GOOD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def password_rules(settings):
    """The validators Kithkin ships with, and a fast hasher: Argon2 is slow on purpose."""
    settings.AUTH_PASSWORD_VALIDATORS = VALIDATORS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_up(**fields):
    return sign_up(
        **{
            "username": "ada",
            "full_name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": GOOD,
            **fields,
        }
    )


def test_sign_up_makes_a_user_with_a_network_of_their_own():
    ada = signed_up(
        username=" ada.l+crm@home ",
        full_name="  Ada   Lovelace ",
        email="Ada@Example.ORG",
        time_zone="Europe/London",
    )
    assert (ada.username, ada.email, ada.time_zone) == (
        "ada.l+crm@home",
        "Ada@example.org",
        "Europe/London",
    )
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    assert ada.check_password(GOOD)
    assert not ada.check_password("wrong")
    network = access.current_network(ada)
    assert network.name == "Ada Lovelace's network"
    assert access.is_owner(ada, network)
    assert Person.objects.get(network=network, is_self=True).full_name == "Ada Lovelace"


def test_sign_up_without_a_time_zone_uses_the_default(settings):
    settings.DEFAULT_TIME_ZONE = "Europe/Paris"
    assert signed_up().time_zone == "Europe/Paris"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": ""}, "username", "1 to 150 letters"),
        ({"username": "ada lovelace"}, "username", "no spaces"),
        ({"username": "ada/l"}, "username", "1 to 150 letters"),
        ({"username": "zoë"}, "username", "1 to 150 letters"),
        ({"username": "a" * 151}, "username", "1 to 150 letters"),
        ({"username": "OWNER"}, "username", "'OWNER' is taken"),
        ({"full_name": "  "}, "full_name", "must not be empty"),
        ({"full_name": "x" * 101}, "full_name", "longer than 100 characters"),
        ({"email": ""}, "email", "not a valid email address"),
        ({"email": "ada@"}, "email", "not a valid email address"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone"),
        ({"time_zone": "Europe"}, "time_zone", "not a time zone"),
        ({"password": ""}, "password", "must not be empty"),
        ({"password": "short"}, "password", "too short"),
        ({"password": "password1234"}, "password", "too common"),
        ({"password": "8205937410562"}, "password", "entirely numeric"),
        ({"password": "ada.lovelace"}, "password", "too similar to the"),
    ],
)
def test_invalid_sign_ups_name_the_field_and_create_nothing(owner, fields, field, message):
    before = (User.objects.count(), Network.objects.count(), Person.objects.count())
    with pytest.raises(InvalidInput) as caught:
        signed_up(**{"username": "ada.lovelace", **fields})
    assert caught.value.field == field
    assert message in caught.value.message
    assert (User.objects.count(), Network.objects.count(), Person.objects.count()) == before


def test_every_password_problem_is_listed():
    with pytest.raises(InvalidInput) as caught:
        signed_up(password="12345")
    assert caught.value.message.split("; ") == [
        "This password is too short. It must contain at least 10 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]


def test_without_validators_any_non_empty_password_is_accepted(settings):
    settings.AUTH_PASSWORD_VALIDATORS = []
    assert signed_up(password="x").check_password("x")
    with pytest.raises(InvalidInput):
        signed_up(username="grace", password="")


def test_change_password():
    ada = signed_up()
    change_password(ada, old_password=GOOD, new_password="a new and longer passphrase")
    ada = User.objects.get(pk=ada.pk)
    assert ada.check_password("a new and longer passphrase")
    assert not ada.check_password(GOOD)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("wrong", "a new and longer passphrase", "old_password", "not your current password"),
        (GOOD, "", "new_password", "must not be empty"),
        (GOOD, "short", "new_password", "too short"),
        (GOOD, "ada@example.org", "new_password", "too similar to the email address"),
    ],
)
def test_change_password_refuses(old, new, field, message):
    ada = signed_up()
    with pytest.raises(InvalidInput) as caught:
        change_password(ada, old_password=old, new_password=new)
    assert caught.value.field == field
    assert message in caught.value.message
    assert User.objects.get(pk=ada.pk).check_password(GOOD)


def test_create_user_refuses_a_name_too_long_for_the_network_name():
    with pytest.raises(InvalidInput) as caught:
        create_user(username="long", full_name="x" * 101)
    assert caught.value.field == "name"
    assert not User.objects.filter(username="long").exists()


def test_a_region_folder_is_not_a_time_zone(owner, network):
    with pytest.raises(InvalidInput) as caught:
        update_settings(owner, network, time_zone="Europe")
    assert caught.value.field == "time zone"


def test_create_user_checks_an_email_when_one_is_given():
    assert create_user(username="sam", full_name="Sam Writer", email=" Sam@Example.ORG ").email == (
        "Sam@example.org"
    )
    assert create_user(username="nomail", full_name="No Mail").email == ""
    with pytest.raises(InvalidInput) as caught:
        create_user(username="bad", full_name="Bad Mail", email="bad@")
    assert caught.value.field == "email"
    assert not User.objects.filter(username="bad").exists()


# A password set from the command line (`kith password`) --------------------------------


def test_set_password_needs_no_old_one_and_is_checked_like_any_other():
    sam = create_user(username="sam", full_name="Sam Writer", email="sam@example.org")
    assert not sam.has_usable_password()
    set_password(sam, GOOD)
    assert User.objects.get(pk=sam.pk).check_password(GOOD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "must not be empty"),
        ("short", "This password is too short. It must contain at least 10 characters."),
        ("password1234", "This password is too common."),
        ("sam@example.org", "too similar to the email address"),
    ],
)
def test_set_password_refuses_a_weak_one_and_keeps_the_old(password, message):
    sam = create_user(username="sam", full_name="Sam Writer", email="sam@example.org")
    set_password(sam, GOOD)
    with pytest.raises(InvalidInput) as caught:
        set_password(sam, password)
    assert caught.value.field == "password"
    assert message in caught.value.message
    assert User.objects.get(pk=sam.pk).check_password(GOOD)


def test_set_password_stores_an_argon2_hash(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    sam = create_user(username="sam", full_name="Sam Writer")
    set_password(sam, GOOD)
    assert User.objects.get(pk=sam.pk).password.startswith("argon2$")


# Sign-ups are throttled per address ----------------------------------------------------


def test_sign_ups_from_one_address_are_refused_after_a_few(frozen_time):
    for n in range(MAX_SIGN_UPS_PER_IP):
        signed_up(username=f"user{n}", email=f"user{n}@example.org", ip="203.0.113.7")
    before = User.objects.count()
    with pytest.raises(Throttled) as caught:
        signed_up(username="one-more", ip="203.0.113.7")
    assert str(caught.value) == (
        "Too many accounts were made from your address lately. Try again in an hour."
    )
    assert User.objects.count() == before
    assert not User.objects.filter(username="one-more").exists()

    assert signed_up(username="elsewhere", ip="198.51.100.1").username == "elsewhere"
    frozen_time.move_to(FROZEN_NOW + SIGN_UP_WINDOW)
    assert signed_up(username="later", ip="203.0.113.7").username == "later"


def test_refused_sign_ups_do_not_count_towards_the_limit():
    for _ in range(MAX_SIGN_UPS_PER_IP + 1):
        with pytest.raises(InvalidInput):
            signed_up(password="short", ip="203.0.113.7")
    assert signed_up(ip="203.0.113.7").username == "ada"
