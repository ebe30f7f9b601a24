import datetime as dt
from decimal import Decimal

import pytest

from events.federation.upsert import insert_events
from events.models import Event
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_insert_events_stores_what_bulk_create_stores():
    organisation = OrganisationFactory()
    start = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)
    values = {
        "organiser_id": organisation.pk,
        "title": "Workshop",
        "description": "<p>Hi</p>",
        "start": start,
        "end": start + dt.timedelta(hours=2),
        "series_end": start + dt.timedelta(hours=2),
        "timezone": "Europe/Madrid",
        "rrule": "FREQ=WEEKLY;COUNT=2",
        "rdates": ["2027-04-01T09:00:00+00:00"],
        "exdates": [],
        "sequence": 3,
        "latitude": Decimal("39.469907"),
        "longitude": Decimal("-0.376288"),
        "origin": "feed",
        "source_last_modified": start,
        "created": start,
        "updated": start,
    }
    (inserted_id,) = insert_events([{**values, "uid": "raw@x"}])
    Event.objects.bulk_create([Event(**values, uid="orm@x")])
    Event.objects.filter(uid="orm@x").update(created=start, updated=start)
    raw, orm = (
        {k: v for k, v in Event.objects.filter(uid=uid).values().get().items() if k not in ("id", "uid")}
        for uid in ("raw@x", "orm@x")
    )
    assert raw == orm
    assert Event.objects.get(uid="raw@x").pk == inserted_id
