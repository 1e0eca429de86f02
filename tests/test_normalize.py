"""Matching keys: E.164 phones, lower-case emails, canonical profile URLs."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithkin import normalize
from kithkin.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "key"),
    [("Ada@Example.ORG", "ada@example.org"), ("  grace@navy.mil ", "grace@navy.mil")],
)
def test_emails(typed, key):
    assert normalize.email(typed)[1] == key


@pytest.mark.parametrize(
    ("typed", "region", "key"),
    [
        ("+44 20 7946 0958", "", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("+1-415-555-2671", "FR", "+14155552671"),
    ],
)
def test_phones_become_e164(typed, region, key):
    assert normalize.phone(typed, region)[1] == key


@pytest.mark.parametrize(
    ("typed", "key", "service"),
    [
        (
            "https://www.linkedin.com/in/ada-lovelace/",
            "https://www.linkedin.com/in/ada-lovelace",
            "linkedin",
        ),
        (
            "http://de.linkedin.com/in/Ada-Lovelace?trk=abc",
            "https://www.linkedin.com/in/ada-lovelace",
            "linkedin",
        ),
        ("linkedin.com/in/ada-lovelace/en", "https://www.linkedin.com/in/ada-lovelace", "linkedin"),
        ("https://twitter.com/Ada", "https://x.com/ada", "x"),
        ("twitter.com/@Ada", "https://x.com/ada", "x"),
        ("https://x.com/@ada/status/1", "https://x.com/ada", "x"),
        ("github.com/@ada", "https://github.com/ada", "github"),
        ("github.com/ada/", "https://github.com/ada", "github"),
        ("@ada@hachyderm.io", "https://hachyderm.io/@ada", "mastodon"),
        (
            "https://bsky.app/profile/ada.bsky.social",
            "https://bsky.app/profile/ada.bsky.social",
            "bluesky",
        ),
        ("https://ada.dev/", "https://ada.dev", "website"),
    ],
)
def test_profile_urls_are_canonical(typed, key, service):
    _, normalized, found_service = normalize.url(typed)
    assert (normalized, found_service) == (key, service)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: normalize.email("nope"), "email"),
        (lambda: normalize.phone("+1 2"), "phone"),
        (lambda: normalize.phone("555 1234"), "phone"),
        (lambda: normalize.url("not a url"), "url"),
    ],
)
def test_bad_values_name_their_field(call, field):
    with pytest.raises(InvalidInput) as caught:
        call()
    assert caught.value.field == field


@given(st.text(max_size=80))
def test_normalizers_never_raise_anything_but_invalid_input(text):
    for function in (normalize.email, normalize.phone, normalize.url):
        with contextlib.suppress(InvalidInput):
            function(text)


@pytest.mark.parametrize(
    "value",
    [
        "javascript://example.com/%0Aalert(1)",
        "ftp://files.example.com/cv.pdf",
        "file://host.example/x",
    ],
)
def test_a_web_address_is_http_or_https_only(value):
    with pytest.raises(InvalidInput, match="is not a web address"):
        normalize.url(value)


_EMAIL_SAMPLES = [
    "Ada.Lovelace@Example.ORG",
    "a+tag@gmail.com",
    "POSTMASTER@example.com",
    "Info@Example.com",
    "a..b@example.com",
    ".a@example.com",
    "a.@example.com",
    "a" * 64 + "@example.com",
    "a" * 65 + "@example.com",
    "a@b--c.com",
    "a@ab--cd.com",
    "a@foo.test",
    "a@b.invalid",
    "a@1.2.3.4",
    "a@localhost",
    "a@xn--bcher-kva.ch",
    "a@-a.com",
    "a@a..com",
    "a@" + "d" * 64 + ".com",
    "o'brien@example.ie",
    "x@[192.0.2.1]",
    '"quoted"@example.com',
    "josé@example.com",
    "a@b@c.com",
]


@pytest.mark.parametrize("typed", _EMAIL_SAMPLES)
def test_plain_addresses_read_as_the_validator_reads_them(typed):
    """Plain ASCII addresses skip the validator once their domain is known: the display,
    the key and every refusal are what the validator alone gives."""

    def outcome(read):
        try:
            return read()
        except InvalidInput as exc:
            return exc.message

    assert outcome(lambda: normalize.email(typed)) == outcome(
        lambda: normalize._validated_email(typed, "email")
    )


@given(
    st.from_regex(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{0,70}", fullmatch=True),
    st.sampled_from(["example.com", "Example.COM", "b--c.org", "ab--cd.org", "a.test", "b.1"]),
)
def test_plain_addresses_match_the_validator(local, domain):
    typed = f"{local}@{domain}"
    try:
        expected: object = normalize._validated_email(typed, "email")
    except InvalidInput as exc:
        expected = exc.message
    try:
        found: object = normalize.email(typed)
    except InvalidInput as exc:
        found = exc.message
    assert found == expected
