import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.sanitise import linkify_text
from events.federation.normalise import CalendarContext, EventProblem, normalise_event
from events.federation.parse import parse_blocks, split_calendar
from events.federation.text import plain_text_html
from tests.events.federation.factories_federation import calendar, vevent

UTC = dt.UTC


def _one(body: bytes, *, default_timezone: str = ""):
    split = split_calendar(body)
    (parsed,) = parse_blocks(split, split.blocks)
    context = CalendarContext(x_wr_timezone=split.x_wr_timezone, default_timezone=default_timezone)
    return normalise_event(parsed.component, context=context, position=1)


def test_normalise_tzid_time_is_stored_as_utc_with_its_zone():
    event = _one(calendar(vevent("a@x")))
    assert (event.start, event.end, event.timezone, event.all_day) == (
        dt.datetime(2027, 3, 10, 9, tzinfo=UTC),
        dt.datetime(2027, 3, 10, 11, tzinfo=UTC),
        "Europe/Madrid",
        False,
    )


def test_normalise_windows_zone_name_maps_to_iana():
    event = _one(calendar(vevent("a@x", tzid="W. Europe Standard Time")))
    assert (event.timezone, event.start) == ("Europe/Berlin", dt.datetime(2027, 3, 10, 9, tzinfo=UTC))


def test_normalise_x_wr_timezone_gives_utc_times_the_calendars_zone():
    body = calendar(
        vevent("a@x", start="20270310T090000Z", end="20270310T100000Z", tzid=""), head="X-WR-TIMEZONE:Europe/Ljubljana"
    )
    event = _one(body)
    assert (event.timezone, event.start) == ("Europe/Ljubljana", dt.datetime(2027, 3, 10, 9, tzinfo=UTC))


def test_normalise_floating_time_takes_x_wr_timezone_then_feed_default():
    floating = vevent("a@x", tzid="")
    assert _one(
        calendar(floating, head="X-WR-TIMEZONE:Europe/Lisbon"), default_timezone="Europe/Madrid"
    ).start == dt.datetime(2027, 3, 10, 10, tzinfo=UTC)
    assert _one(calendar(floating), default_timezone="Europe/Madrid").start == dt.datetime(2027, 3, 10, 9, tzinfo=UTC)


def test_normalise_duration_instead_of_dtend():
    body = calendar(
        "BEGIN:VEVENT\r\nUID:d@x\r\nDTSTART;TZID=Europe/Madrid:20270310T100000\r\nDURATION:PT90M\r\nSUMMARY:S\r\nEND:VEVENT"
    )
    event = _one(body)
    assert event.end - event.start == dt.timedelta(minutes=90)


def test_normalise_all_day_without_dtend_lasts_one_day_from_local_midnight():
    body = calendar("BEGIN:VEVENT\r\nUID:d@x\r\nDTSTART;VALUE=DATE:20270310\r\nSUMMARY:S\r\nEND:VEVENT")
    event = _one(body, default_timezone="Europe/Madrid")
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    assert (event.all_day, event.start, event.end) == (
        True,
        dt.datetime(2027, 3, 10, tzinfo=madrid).astimezone(UTC),
        dt.datetime(2027, 3, 11, tzinfo=madrid).astimezone(UTC),
    )


def test_normalise_html_description_is_sanitised_and_url_must_be_http():
    extra = 'X-ALT-DESC;FMTTYPE=text/html:<p onclick="x()">Hi<script>alert(1)</script></p>\r\nURL:javascript:alert(1)'
    event = _one(calendar(vevent("a@x", extra=extra)))
    assert (event.description, event.url) == ("<p>Hi</p>", "")
    assert [w[0] for w in event.warnings] == ["bad_url"]


def test_normalise_end_before_start_is_a_problem_naming_dtend():
    with pytest.raises(EventProblem) as info:
        _one(calendar(vevent("a@x", start="20270310T100000", end="20270310T090000")))
    assert (info.value.kind, info.value.prop) == ("end_before_start", "DTEND")


def test_normalise_rrule_with_date_until_is_stored_with_utc_until():
    body = calendar(
        "BEGIN:VEVENT\r\nUID:r@x\r\nDTSTART;VALUE=DATE:20270301\r\nRRULE:FREQ=WEEKLY;UNTIL=20270329\r\nSUMMARY:S\r\n"
        "EXDATE;VALUE=DATE:20270308\r\nEND:VEVENT"
    )
    event = _one(body, default_timezone="UTC")
    assert (event.rrule, event.exdates) == ("FREQ=WEEKLY;UNTIL=20270329T235959Z", ["2027-03-08T00:00:00+00:00"])


def test_normalise_recurrence_id_is_the_utc_instant_it_replaces():
    extra = "RECURRENCE-ID;TZID=Europe/Madrid:20270317T100000"
    event = _one(calendar(vevent("r@x", start="20270318T100000", end="20270318T110000", extra=extra)))
    assert event.key == ("r@x", dt.datetime(2027, 3, 17, 9, tzinfo=UTC))


def test_normalise_cancelled_status_sequence_and_last_modified():
    extra = "STATUS:CANCELLED\r\nSEQUENCE:4\r\nLAST-MODIFIED:20261130T120000Z"
    event = _one(calendar(vevent("a@x", extra=extra)))
    assert (event.status, event.sequence, event.last_modified) == (
        "cancelled",
        4,
        dt.datetime(2026, 11, 30, 12, tzinfo=UTC),
    )


def test_normalise_long_title_is_capped():
    event = _one(calendar(vevent("a@x", summary="x" * 400)))
    assert len(event.title) == 250


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_plain_text_html_equals_linkify_text_whenever_it_answers(text):
    fast = plain_text_html(text)
    if fast is not None:
        assert fast == linkify_text(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab \n\t.,é😀", max_size=80))
def test_plain_text_html_answers_for_plain_text_and_equals_linkify_text(text):
    assert plain_text_html(text) == linkify_text(text)
