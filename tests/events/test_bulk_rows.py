"""The bulk writers' INSERT (VALUES on SQLite, COPY on PostgreSQL) stores exactly what it is given."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from events.bulk_rows import insert_rows, update_rows
from events.federation.upsert import insert_events
from events.models import Event, Feed, ImportedBlock
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# What COPY's text format must escape, and what a partner's feed can carry.
HOSTILE = [
    "tab\there",
    "two\nlines\r\nand a carriage return",
    "back\\slash and \\N and \\. alone",
    "\\N",
    "",
    "quote ' double \" semicolon ; comma ,",
    "Ñandú — 日本語 — emoji 🎓 — RTL עברית",
    "x" * 20_000,
]
START = dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC)


def _rows(organisation, texts, prefix="row"):
    # insert_events fills every column a row does not name with a new Event's value.
    return [
        {"organiser_id": organisation.pk, "uid": f"{prefix}-{n}@x", "title": text[:250], "description_text": text,
         "start": START, "end": START, "created": START, "updated": START}
        for n, text in enumerate(texts)
    ]  # fmt: skip


def test_text_is_stored_as_given_whatever_it_holds():
    organisation = OrganisationFactory()
    ids = insert_events(_rows(organisation, HOSTILE))
    rows = Event.objects.filter(pk__in=ids).values_list("pk", "title", "description_text")
    stored = {pk: (title, text) for pk, title, text in rows}
    assert [stored[pk] for pk in ids] == [(text[:250], text) for text in HOSTILE]


def test_none_is_stored_as_null():
    organisation = OrganisationFactory()
    (pk,) = insert_events([{**_rows(organisation, ["n"])[0], "series_end": None, "language_id": None}])
    assert Event.objects.filter(pk=pk, series_end__isnull=True, language__isnull=True).exists()


def test_ids_are_new_and_distinct_across_calls_and_the_orm():
    organisation = OrganisationFactory()
    first = insert_events(_rows(organisation, ["a", "b"]))
    orm = Event.objects.create(organiser=organisation, title="orm", start=START, end=START)
    second = insert_events(_rows(organisation, ["c", "d"], prefix="later"))
    assert len({*first, orm.pk, *second}) == 5
    assert Event.objects.filter(pk__in=[*first, *second]).count() == 4


def test_every_statement_passes_the_connections_execute_wrappers():
    # Query counters and instrumentation wrap execute(); PostgreSQL's COPY must pass them too.
    organisation = OrganisationFactory()
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        ids = insert_events(_rows(organisation, ["a", "b", "c"]))
        feed = Feed.objects.create(organisation=organisation, name="Feed", url="https://partner.example/feed.ics")
        insert_rows(ImportedBlock, ["event_id", "feed_id", "block_hash"], [(pk, feed.pk, "h") for pk in ids])
    assert any("events_event" in sql for sql in seen)
    assert any("events_importedblock" in sql for sql in seen)
    assert ImportedBlock.objects.filter(event_id__in=ids).count() == 3


def test_a_refused_row_stores_none_of_the_statement():
    # A check constraint (end before start) fails the whole statement: no half-written batch.
    organisation = OrganisationFactory()
    good, bad = _rows(organisation, ["good", "bad"])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_events([good, {**bad, "end": START - dt.timedelta(hours=1)}])
    assert not Event.objects.filter(organiser=organisation).exists()


def test_update_rows_stores_each_rows_values_and_touches_no_other_row():
    organisation = OrganisationFactory()
    ids = insert_events(_rows(organisation, ["a", "b", "c"]))
    later = START + dt.timedelta(days=1)
    rdates = Event._meta.get_field("rdates")
    rows = [
        (ids[0], HOSTILE[1], later, rdates.get_db_prep_save(["2027-04-01T09:00:00+00:00"], connection)),
        (ids[2], HOSTILE[2], None, rdates.get_db_prep_save([], connection)),
    ]
    update_rows(Event, ["description_text", "series_end", "rdates"], rows)
    values = Event.objects.filter(pk__in=ids).values_list("pk", "description_text", "series_end", "rdates")
    stored = {pk: (text, end, dates) for pk, text, end, dates in values}
    assert stored[ids[0]] == (HOSTILE[1], later, ["2027-04-01T09:00:00+00:00"])
    assert stored[ids[2]] == (HOSTILE[2], None, [])
    assert stored[ids[1]][0] == "b"  # not named: untouched


def test_update_rows_of_more_rows_than_a_batch():
    organisation = OrganisationFactory()
    ids = insert_events(_rows(organisation, [str(n) for n in range(1_200)]))
    update_rows(Event, ["title"], [(pk, f"new {pk}") for pk in ids])
    assert dict(Event.objects.filter(pk__in=ids).values_list("pk", "title")) == {pk: f"new {pk}" for pk in ids}
