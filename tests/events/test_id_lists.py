"""InIds: membership in thousands of ids, sent as one parameter, on both databases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.id_lists import InIds
from events.models import Event
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    organisation = OrganisationFactory()
    start = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)
    return Event.objects.bulk_create(
        [Event(organiser=organisation, uid=f"{n}@x", title=str(n), start=start, end=start) for n in range(6)]
    )


def test_it_selects_exactly_the_rows_named(events):
    wanted = [events[0].pk, events[3].pk, events[5].pk]
    assert set(Event.objects.filter(InIds("pk", wanted)).values_list("pk", flat=True)) == set(wanted)


def test_no_ids_select_nothing(events):
    assert not Event.objects.filter(InIds("pk", [])).exists()


def test_unknown_and_repeated_ids_are_harmless(events):
    ids = [events[1].pk, events[1].pk, 10**15, -1]
    assert list(Event.objects.filter(InIds("pk", ids)).values_list("pk", flat=True)) == [events[1].pk]


def test_it_combines_with_other_conditions_and_in_updates(events):
    ids = [event.pk for event in events]
    assert Event.objects.filter(InIds("pk", ids), title__in=["1", "2"]).count() == 2
    assert Event.objects.filter(InIds("pk", ids[:2])).update(title="changed") == 2
    assert Event.objects.exclude(InIds("pk", ids[:2])).filter(title="changed").count() == 0


def test_ten_thousand_ids_are_one_parameter(events):
    ids = [*range(10**9, 10**9 + 10_000), events[2].pk]
    with CaptureQueriesContext(connection) as queries:
        assert list(Event.objects.filter(InIds("pk", ids)).values_list("pk", flat=True)) == [events[2].pk]
    assert queries.captured_queries[0]["sql"].count("1000000001") == 1  # the list, once, not a placeholder per id


def test_anything_but_integers_is_refused_before_any_sql():
    with pytest.raises((TypeError, ValueError)):
        InIds("pk", ["1; DROP TABLE events_event"])


def _largest_parameter_list(action) -> int:
    """The most parameters of any statement but the batched INSERTs (500 rows at most)."""
    sizes = [0]

    def wrapper(execute, sql, params, many, context):
        if not sql.lstrip().startswith(("INSERT", "COPY")):
            sizes.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        action()
    return max(sizes)


def test_touching_every_event_of_a_theme_sends_the_ids_as_one_parameter():
    # An organisation or theme of 100,000 events: two placeholders per event passed SQLite's variable
    # limit (32,766 in its default build) and PostgreSQL's 65,535 with server-side binding.
    from events.signals import touch_events

    organisation = OrganisationFactory()
    start = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)
    Event.objects.bulk_create(
        [Event(organiser=organisation, uid=f"{n}@x", title=str(n), start=start, end=start) for n in range(300)]
    )
    qs = Event.objects.filter(organiser=organisation)
    assert _largest_parameter_list(lambda: touch_events(qs)) < 50


def test_rebuilding_every_series_sends_the_ids_as_one_parameter(events):
    from events.occurrences import sync_all_occurrences

    organisation = events[0].organiser
    start = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)
    Event.objects.bulk_create(
        [Event(organiser=organisation, uid=f"more-{n}@x", title=str(n), start=start, end=start) for n in range(300)]
    )
    assert _largest_parameter_list(lambda: sync_all_occurrences(batch=5_000)) < 50
