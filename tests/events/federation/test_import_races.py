"""Two import writers of one organisation at once: the second waits and reads the first's rows.

PostgreSQL only (tests/races.py): SQLite serialises write transactions itself.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from events.federation.fields import incoming_from_fields
from events.federation.upsert import upsert_one
from events.models import Event, Occurrence
from tests.factories import OrganisationFactory
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises write transactions: no race to test"
    ),
]
START = dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC)


def post(organisation, **fields):
    incoming = incoming_from_fields(
        uid="same@partner.example",
        title="Workshop",
        start=START,
        end=START + dt.timedelta(hours=1),
        timezone="Europe/Madrid",
        **fields,
    )
    return lambda: upsert_one(organisation=organisation, incoming=incoming, sequence_given=False)


def test_two_posts_of_one_new_uid_at_once_make_one_event():
    organisation = OrganisationFactory()
    outcomes = race(
        post(organisation), post(organisation, rrule="FREQ=WEEKLY;COUNT=3"), expected=(IntegrityError, ValidationError)
    )
    assert outcomes == ["changed", "changed"]  # without the lock the second failed on the unique UID
    event = Event.objects.get(organiser=organisation)
    assert event.rrule.startswith("FREQ=WEEKLY")  # the second, later write won
    assert Occurrence.objects.filter(series=event).count() == 3  # no occurrence written twice
