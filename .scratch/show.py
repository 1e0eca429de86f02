import datetime as dt
import pytest
from kithkin.queries.digest import digest_for
from kithkin.services.digest import render_text
from tests.conftest import TODAY
from tests.factories import make_follow_up, make_person, log
from kithkin.models import Membership

@pytest.mark.django_db
def test_show(owner, network, outsider):
    ada = make_person(network, "Ada Lovelace")
    make_follow_up(network, ada, "Send Ada the deck", due_on=TODAY - dt.timedelta(days=2))
    make_person(network, "Fay Faded", circle="close", connected_on=dt.date(2025, 1, 1))
    log(network, ada, on=TODAY - dt.timedelta(days=1))
    print(render_text(digest_for(owner, TODAY, weekly=True)))
    from django.template.loader import render_to_string
    print(render_to_string("kithkin/email/digest.html", {"digest": digest_for(owner, TODAY, weekly=True)}))
