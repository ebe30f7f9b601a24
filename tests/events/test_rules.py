"""The calendar's rules as plain functions: what a person may type, and what it becomes."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from events import rules
from events.recurrence import expand, parse_rule, validate_bounded_rule

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def test_a_time_in_the_spring_forward_gap_is_refused_naming_the_zone_and_the_valid_time():
    with pytest.raises(ValidationError) as exc:
        rules.resolve_local(dt.datetime(2027, 3, 28, 2, 30), MADRID)
    message = exc.value.messages[0]
    assert "Europe/Madrid" in message
    assert "03:30" in message
    assert exc.value.code == "nonexistent_time"


def test_a_time_in_the_repeated_autumn_hour_takes_its_first_occurrence():
    instant = rules.resolve_local(dt.datetime(2027, 10, 31, 2, 30), MADRID)
    assert instant.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)  # still CEST (+2)


def test_an_ordinary_local_time_becomes_its_instant():
    assert rules.resolve_local(dt.datetime(2027, 7, 1, 9, 0), MADRID).astimezone(dt.UTC) == dt.datetime(
        2027, 7, 1, 7, 0, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    ("text", "all_day", "stored"),
    [
        ("FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231", False, "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231T225959Z"),
        ("freq=weekly;until=20271231T100000", False, "FREQ=WEEKLY;UNTIL=20271231T090000Z"),
        ("RRULE:FREQ=WEEKLY;UNTIL=20271231T090000Z", False, "FREQ=WEEKLY;UNTIL=20271231T090000Z"),
        ("FREQ=YEARLY;UNTIL=20301231", True, "FREQ=YEARLY;UNTIL=20301231"),
        ("FREQ=YEARLY;UNTIL=20301231T230000Z", True, "FREQ=YEARLY;UNTIL=20310101"),
        ("FREQ=DAILY;COUNT=3", False, "FREQ=DAILY;COUNT=3"),
    ],
)
def test_until_is_stored_as_rfc_5545_wants_it(text, all_day, stored):
    assert rules.normalise_rrule(text, zone=MADRID, all_day=all_day) == stored


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("weekly", "NAME=VALUE"),
        ("FREQ=SOMETIMES", "FREQ=DAILY, WEEKLY"),
        ("FREQ=WEEKLY;COLOUR=RED", "COLOUR"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20271231", "not both"),
        ("FREQ=WEEKLY;COUNT=-1", "positive whole number"),
        ("FREQ=WEEKLY;UNTIL=99991231", "between the years"),
        ("FREQ=WEEKLY;UNTIL=20270230", "not a real date"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=2", "BYDAY"),
    ],
)
def test_a_bad_rule_is_refused_in_words_a_person_understands(text, words):
    start = dt.datetime(2027, 1, 5, 10, tzinfo=MADRID)
    with pytest.raises(ValidationError) as exc:
        parse_rule(text, start)
    message = " ".join(exc.value.messages)
    assert words in message
    for library_word in ("unpack", "dateutil", "Traceback", "invalid literal"):
        assert library_word not in message


def test_the_help_text_example_works_for_a_first_tuesday_start():
    start = dt.datetime(2027, 1, 5, 10, tzinfo=MADRID)  # the first Tuesday of January 2027
    rule = validate_bounded_rule("FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231", start)
    assert [d.date() for d in list(rule)[:3]] == [dt.date(2027, 1, 5), dt.date(2027, 2, 2), dt.date(2027, 3, 2)]
    assert list(rule)[-1].date() == dt.date(2027, 12, 7)


class _Series:
    """Just the attributes ``expand`` reads."""

    def __init__(self, **fields):
        self.timezone = "Europe/Madrid"
        self.all_day = False
        self.rrule = ""
        self.rdates = []
        self.exdates = []
        self.__dict__.update(fields)

    @property
    def is_recurring(self):
        return bool(self.rrule or self.rdates)


def test_an_rdate_only_series_shows_its_dtstart_instance_too():
    start = dt.datetime(2027, 5, 4, 10, tzinfo=MADRID)
    series = _Series(
        start=start.astimezone(dt.UTC),
        end=(start + dt.timedelta(hours=1)).astimezone(dt.UTC),
        rdates=[dt.datetime(2027, 5, 11, 10, tzinfo=MADRID).isoformat()],
    )
    starts = [o.start for o in expand(series, start - dt.timedelta(days=1), start + dt.timedelta(days=30))]
    assert starts == [start, dt.datetime(2027, 5, 11, 10, tzinfo=MADRID)]


def test_instances_last_exactly_dtend_minus_dtstart_across_a_change_of_summer_time():
    start = dt.datetime(2027, 3, 27, 1, 0, tzinfo=MADRID)  # the night before the clocks go forward
    end = dt.datetime(2027, 3, 27, 4, 0, tzinfo=MADRID)
    series = _Series(start=start.astimezone(dt.UTC), end=end.astimezone(dt.UTC), rrule="FREQ=DAILY;COUNT=2")
    first, second = expand(series, start - dt.timedelta(days=1), start + dt.timedelta(days=5))
    assert first.end - first.start == dt.timedelta(hours=3)
    assert second.end.astimezone(dt.UTC) - second.start.astimezone(dt.UTC) == dt.timedelta(hours=3)


@pytest.mark.parametrize("text", ["Vertical\x0btab", "Bell\x07", "Line\nbreak", "Nul\x00", "Next\x85line"])
def test_single_line_text_loses_its_control_characters(text):
    cleaned = rules.clean_line(text)
    assert all(ch.isprintable() for ch in cleaned), repr(cleaned)


@pytest.mark.parametrize(("lat", "lon", "field"), [(91, 0, "latitude"), (0, -181, "longitude"), (None, 2, "latitude")])
def test_coordinates_out_of_range_or_alone_are_refused(lat, lon, field):
    assert list(rules.check_coordinates(lat, lon)) == [field]


@pytest.mark.parametrize("year", [1, 1899, 2201, 9999])
def test_years_outside_the_calendar_are_refused(year):
    with pytest.raises(ValidationError):
        rules.check_in_range(dt.date(year, 1, 1), field_label="The start")


def test_a_partner_may_not_use_the_uid_form_praxis_mints():
    with pytest.raises(ValidationError):
        rules.check_uid("0b3c5f1e-8d2a-4c7b-9f00-1234567890ab@praxis", minted_here=False)
    rules.check_uid("0b3c5f1e-8d2a-4c7b-9f00-1234567890ab@praxis", minted_here=True)
    rules.check_uid("abc123@google.com", minted_here=False)
