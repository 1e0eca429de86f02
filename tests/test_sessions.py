"""A user's signed-in sessions, and signing out everywhere else."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.test import Client

from kithkin.services.sessions import SessionInfo, end_other_sessions, sessions_of
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db


def signed_in(user):
    """A browser signed in as ``user``, through Django's own login; its session key."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def short_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def test_sessions_of_lists_the_users_live_sessions_current_first(frozen_time, owner, teammate):
    laptop = signed_in(owner)
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(hours=1))
    phone = signed_in(owner)
    signed_in(teammate)
    Session.objects.create(session_key="x" * 32, session_data="garbage", expire_date=FROZEN_NOW)
    sessions = sessions_of(owner, laptop)
    age = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert sessions == [
        SessionInfo(short_hash(laptop), FROZEN_NOW + age, current=True),
        SessionInfo(short_hash(phone), FROZEN_NOW + dt.timedelta(hours=1) + age, current=False),
    ]


def test_a_session_key_is_never_exposed(owner):
    key = signed_in(owner)
    (info,) = sessions_of(owner, None)
    assert len(info.key_hash) == 12
    assert key not in repr(info)
    assert not info.current


def test_expired_and_undecodable_sessions_are_left_out(owner):
    stale = signed_in(owner)
    Session.objects.filter(session_key=stale).update(expire_date=FROZEN_NOW)
    Session.objects.create(
        session_key="y" * 32,
        session_data="not signed",
        expire_date=FROZEN_NOW + dt.timedelta(days=1),
    )
    assert sessions_of(owner, stale) == []


def test_end_other_sessions_keeps_this_one_and_other_users(owner, teammate):
    here = signed_in(owner)
    signed_in(owner)
    signed_in(owner)
    theirs = signed_in(teammate)
    assert end_other_sessions(owner, here) == 2
    assert [info.current for info in sessions_of(owner, here)] == [True]
    assert Session.objects.filter(session_key=here).exists()
    assert Session.objects.filter(session_key=theirs).exists()
    assert end_other_sessions(owner, here) == 0


def test_without_a_current_session_every_session_ends(owner):
    signed_in(owner)
    signed_in(owner)
    assert end_other_sessions(owner, None) == 2
    assert sessions_of(owner, None) == []


def user_of(session_key):
    """Who a request carrying this session cookie is, as Django's auth middleware sees it."""
    request = HttpRequest()
    request.session = SessionStore(session_key)
    return get_user(request)


def test_an_ended_session_no_longer_signs_in(owner):
    here, there = signed_in(owner), signed_in(owner)
    assert user_of(there) == owner
    end_other_sessions(owner, here)
    assert user_of(there).is_anonymous
    assert user_of(here) == owner
