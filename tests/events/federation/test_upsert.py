import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from events.federation.normalise import IncomingEvent
from events.federation.upsert import _values, insert_events, new_event
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


def _values_or_refusal(incoming, organisation, prototype=None):
    try:
        return _values(incoming, organisation, prototype)
    except ValidationError as exc:
        return exc.message_dict


def test_values_from_a_copied_prototype_equal_values_from_a_new_event():
    # Bulk imports copy one prototype Event per row instead of constructing one; the stored
    # form and the refusals must be those of a freshly constructed Event.
    organisation = OrganisationFactory()
    prototype = new_event(organisation)
    start = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)
    base = {
        "uid": "a@x",
        "recurrence_id": None,
        "title": "Workshop",
        "description": "<p>Hi</p>",
        "start": start,
        "end": start + dt.timedelta(hours=2),
        "timezone": "Europe/Madrid",
        "all_day": False,
    }
    incoming = [
        IncomingEvent(**base),
        IncomingEvent(
            **{**base, "uid": "b@x", "title": "  Two\tlines\nhere "},
            rrule="FREQ=WEEKLY;COUNT=3",
            exdates=["2027-03-17T09:00:00+00:00"],
            venue="Sala Ñ",
            latitude=Decimal("39.5"),
            longitude=Decimal("-0.4"),
            status="cancelled",
            url="https://x.org",
        ),
        IncomingEvent(
            **{**base, "uid": "c@x", "all_day": True, "start": start.replace(hour=0)},
            rdates=["2027-05-01T00:00:00+00:00"],
        ),
        IncomingEvent(**{**base, "uid": "d@x", "end": start - dt.timedelta(hours=1)}),  # refused: ends before it starts
        IncomingEvent(**{**base, "uid": "e@x"}, rrule="FREQ=SOMETIMES"),  # refused: not a rule
    ]
    copied = [_values_or_refusal(item, organisation, prototype) for item in incoming]
    assert copied == [_values_or_refusal(item, organisation) for item in incoming]
    assert [isinstance(result, dict) and "title" in result for result in copied] == [True, True, True, False, False]


def test_insert_events_returns_the_ids_in_the_order_of_the_rows():
    # On PostgreSQL the rows are copied in (COPY) with keys drawn first: the ids must still follow the rows.
    organisation = OrganisationFactory()
    start = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)
    uids = [f"row-{n}@x" for n in (3, 1, 2, 5, 4)]
    rows = [
        {"organiser_id": organisation.pk, "uid": uid, "title": uid, "start": start, "end": start, "rdates": [uid]}
        | {"created": start, "updated": start}
        for uid in uids
    ]
    ids = insert_events(rows)
    stored = dict(Event.objects.filter(pk__in=ids).values_list("pk", "uid"))
    assert [stored[pk] for pk in ids] == uids
    assert Event.objects.get(pk=ids[0]).rdates == ["row-3@x"]
