"""Recurrence rules: validation, series span and bounded expansion.

Rules expand in the event's own wall-clock time, so a weekly 10:00 meeting in
Europe/Madrid stays at 10:00 across the change to summer time. Expansion is always
bounded (a window and a cap): an unbounded rule from a feed must never hang a page.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from events.rules import normalise_rrule, parse_until

if TYPE_CHECKING:
    from events.models import Event

MAX_OCCURRENCES = 500
MAX_SERIES_YEARS = 5
WINDOW_MAX_DAYS = 366


@dataclass(frozen=True)
class Occurrence:
    event: Event
    start: dt.datetime
    end: dt.datetime
    recurrence_id: dt.datetime | None = None


def parse_rule(value: str, dtstart: dt.datetime, *, all_day: bool = False) -> rrule:
    """Parse an RRULE value (with or without the ``RRULE:`` prefix) or raise ValidationError.

    ``dtstart`` is the first start in the event's own zone. UNTIL may be a date, a local or a
    UTC date-time (``events.rules.normalise_rrule``); dateutil gets it as the UTC instant it
    means, because it refuses a naive UNTIL beside an aware DTSTART.
    """
    zone = dtstart.tzinfo or dt.UTC
    parts = []
    for part in normalise_rrule(value, zone=zone, all_day=all_day).split(";"):
        name, _sep, text = part.partition("=")
        if name == "UNTIL":
            until = parse_until(text, zone=zone, all_day=all_day)
            if not isinstance(until, dt.datetime):  # the end of that local day
                until = dt.datetime.combine(until, dt.time(23, 59, 59), zone).astimezone(dt.UTC)
            text = until.strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={text}")
    try:
        rule = rrulestr(";".join(parts), dtstart=dtstart, forceset=False, ignoretz=False)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ValidationError(
            _("This repeat rule is not valid: check its BYDAY (e.g. MO or 1TU), BYMONTH and BYMONTHDAY values."),
            code="invalid_rrule",
        ) from exc
    if not isinstance(rule, rrule):
        raise ValidationError(_("Enter a single RRULE."), code="invalid_rrule")
    return rule


def validate_bounded_rule(value: str, dtstart: dt.datetime, *, all_day: bool = False) -> rrule:
    """A rule people enter must end: by COUNT ≤ MAX_OCCURRENCES or UNTIL within MAX_SERIES_YEARS."""
    rule = parse_rule(value, dtstart, all_day=all_day)
    count = rule._count
    until = rule._until
    if count is None and until is None:
        raise ValidationError(
            _("A repeating event must end: add COUNT (at most %(count)s) or UNTIL (within %(years)s years)."),
            params={"count": MAX_OCCURRENCES, "years": MAX_SERIES_YEARS},
            code="unbounded_rrule",
        )
    if count is not None and count > MAX_OCCURRENCES:
        raise ValidationError(
            _("At most %(count)s occurrences are allowed."), params={"count": MAX_OCCURRENCES}, code="too_many"
        )
    if until is not None:
        limit = dtstart + dt.timedelta(days=365 * MAX_SERIES_YEARS + 2)
        if until > limit:
            raise ValidationError(
                _("A series may run for at most %(years)s years."), params={"years": MAX_SERIES_YEARS}, code="too_long"
            )
    first = next(iter(rule), None)
    if first is None or first != dtstart:
        # RFC 5545 counts DTSTART as the first occurrence; calendar apps disagree when the
        # rule would not produce it, so ask for a start that matches the rule.
        raise ValidationError(
            _("The start must be one of the dates the rule repeats on (e.g. a Tuesday for BYDAY=TU)."),
            code="start_not_in_rule",
        )
    return rule


def _parse_instants(values: list[str], zone: dt.tzinfo) -> list[dt.datetime]:
    out = []
    for value in values or []:
        try:
            instant = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=zone)
        out.append(instant)
    return out


def _local_start(event: Event) -> dt.datetime:
    return event.start.astimezone(zoneinfo.ZoneInfo(event.timezone))


def starts_off_rule(event: Event) -> bool:
    """Whether the event's DTSTART is not itself an occurrence of its RRULE.

    Real feeds have such series (a Monday DTSTART, a rule on Wednesdays); RFC 5545 leaves
    the set undefined, and Praxis counts DTSTART as the first instance, as Google Calendar
    and Outlook show it. The exporter then names DTSTART in an RDATE too, so that readers
    that follow the rule alone (dateutil, vobject, ical.js) see the same instances.
    """
    if not event.rrule or event.recurrence_id is not None:
        return False
    local_start = _local_start(event)
    try:
        rule = parse_rule(event.rrule, local_start, all_day=event.all_day)
    except ValidationError:
        return False
    return next(iter(rule.xafter(local_start, count=1, inc=True)), None) != local_start


def rule_bounded_by_until(event: Event) -> str:
    """The event's rule with a COUNT replaced by the UNTIL of its last instance.

    For a series that starts off its rule, readers disagree on whether DTSTART uses up one
    of COUNT's instances (vobject and RFC 5545 say yes; icalendar, ical.js and Praxis say
    no). An UNTIL bounds the same instances without counting, so every reader agrees.
    """
    local_start = _local_start(event)
    rule = parse_rule(event.rrule, local_start, all_day=event.all_day)
    if rule._count is None:
        return event.rrule
    last = None
    for last in rule.xafter(local_start, count=rule._count, inc=True):  # noqa: B007
        pass
    parts = [p for p in event.rrule.split(";") if p.split("=", 1)[0].strip().upper() != "COUNT"]
    if last is not None:
        parts.append("UNTIL=" + last.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def series_end_of(event: Event) -> dt.datetime | None:
    """The end of the last occurrence (UTC), or None when the series never ends."""
    duration = event.end - event.start  # exact, as RFC 5545 says of DTEND - DTSTART
    zone = zoneinfo.ZoneInfo(event.timezone)
    rdates = _parse_instants(event.rdates, zone)
    last = max([event.start, *rdates])
    if event.rrule:
        try:
            rule = parse_rule(event.rrule, _local_start(event), all_day=event.all_day)
        except ValidationError:
            return (last + duration).astimezone(dt.UTC)
        if rule._count is None and rule._until is None:
            return None
        final = None
        for final in rule.xafter(_local_start(event), count=10 * MAX_OCCURRENCES, inc=True):  # noqa: B007
            pass
        if final is not None:
            last = max(last, final)
    return last.astimezone(dt.UTC) + duration


def expand(
    event: Event, window_start: dt.datetime, window_end: dt.datetime, *, cap: int = MAX_OCCURRENCES
) -> list[Occurrence]:
    """Occurrences of ``event`` overlapping [window_start, window_end), at most ``cap``.

    Overrides (rows whose ``series`` is this event) replace the occurrence they name;
    pass them prefetched as ``event.prefetched_overrides`` to avoid a query per series.
    """
    if not event.is_recurring:
        if event.start < window_end and event.end > window_start:
            return [Occurrence(event, event.local_start, event.local_end)]
        return []
    zone = zoneinfo.ZoneInfo(event.timezone)
    local_start = event.start.astimezone(zone)
    # Every instance lasts exactly DTEND - DTSTART (RFC 5545 §3.8.5.3), also across a change of
    # summer time; the feed says the same to every calendar client.
    duration = event.end - event.start
    starts: set[dt.datetime] = set()
    if event.rrule:
        try:
            rule = parse_rule(event.rrule, local_start, all_day=event.all_day)
        except ValidationError:
            rule = None
        if rule is not None:
            lower = (window_start - duration).astimezone(zone)
            for occurrence in rule.xafter(lower, count=cap + 1, inc=False):
                if occurrence >= window_end:
                    break
                starts.add(occurrence)
    # DTSTART is always the first instance, also of an RDATE-only series.
    if window_start - duration < local_start < window_end:
        starts.add(local_start)
    for rdate in _parse_instants(event.rdates, zone):
        if window_start - duration < rdate < window_end:
            starts.add(rdate)
    excluded = {x.astimezone(dt.UTC) for x in _parse_instants(event.exdates, zone)}
    overrides = {o.recurrence_id: o for o in getattr(event, "prefetched_overrides", [])}
    result = []
    for start in sorted(starts):
        key = start.astimezone(dt.UTC)
        if key in excluded:
            continue
        override = overrides.get(key)
        if override is not None:
            result.append(Occurrence(override, override.local_start, override.local_end, key))
        else:
            result.append(Occurrence(event, start, (key + duration).astimezone(zone), key))
        if len(result) >= cap:
            break
    return result
