"""VTIMEZONE components that icalendar, vobject and ical.js all read the same way.

icalendar's ``Timezone.from_tzinfo`` (and ``add_missing_timezones``) writes each
observance once with every later onset in one multi-valued RDATE line. RFC 5545 allows
that, but vobject 0.9 and ical.js 2 read only its first value, so every later summer
time comes out an hour off. Here the transitions are read from tzdata (through
``zoneinfo``) and written the way zic's inverse, vzic, does:

- a run of yearly onsets that follow one rule ("last Sunday of March at 02:00")
  becomes one observance with ``RRULE:FREQ=YEARLY;BYMONTH=…;BYDAY=…`` — open-ended
  when the run reaches the end of the covered span (the zone's current rule, so
  occurrences of a series past the span still get the right offset), else with COUNT
  (never UNTIL: dateutil, under vobject, refuses a UTC UNTIL beside a floating DTSTART);
- any other onset is an observance of its own, with no RRULE and no RDATE;
- a first observance at 1 January of the first year states the offset in force then,
  so no parser has to guess what applies before the first transition.

Results are cached per process by (TZID, first year, last year): a feed asks once per
zone per render, and the same span recurs between requests.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from icalendar.prop import vUTCOffset

UTC_ZONES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT",
     "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "GMT0", "GMT+0", "GMT-0", "Etc/Greenwich", "Greenwich"}
)  # fmt: skip
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = dt.timedelta(hours=6)  # no zone changes its offset twice within six hours


class Transition(NamedTuple):
    """One change of offset or name: ``onset`` is the wall time it happens at, in the old offset."""

    onset: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    is_dst: bool


def is_utc_zone(tzid: str) -> bool:
    """Zones written as UTC ("Z") with no TZID and no VTIMEZONE."""
    return tzid in UTC_ZONES


def _state(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> tuple[dt.timedelta, bool, str]:
    local = instant.astimezone(zone)
    # tzdata gives Europe/Dublin a *negative* DST in winter (IST is its standard time).
    # Every parser (and Outlook, Google) expects DAYLIGHT to be the offset ahead of
    # standard, so write the period ahead as DAYLIGHT: the summer, in Dublin too.
    dst = local.dst() or dt.timedelta(0)
    if dst < dt.timedelta(0):
        is_dst = False
    elif dst > dt.timedelta(0):
        is_dst = True
    else:
        is_dst = _has_negative_dst(zone, local.year)
    return local.utcoffset() or dt.timedelta(0), is_dst, local.tzname() or ""


@lru_cache(maxsize=1024)
def _has_negative_dst(zone: zoneinfo.ZoneInfo, year: int) -> bool:
    probes = (dt.datetime(year, month, 15, 12, tzinfo=zone) for month in (1, 7))
    return any((p.dst() or dt.timedelta(0)) < dt.timedelta(0) for p in probes)


def transitions(tzid: str, first_year: int, last_year: int) -> tuple[dt.timedelta, bool, str, list[Transition]]:
    """The state in force at 1 January of ``first_year`` and every change up to the end of ``last_year``.

    Found by stepping through the span and bisecting each change to the second, which
    works for any tzinfo and costs a few milliseconds per zone-decade.
    """
    zone = zoneinfo.ZoneInfo(tzid)
    start = dt.datetime(first_year, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    stop = dt.datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    initial = state = _state(start, zone)
    found: list[Transition] = []
    t = start
    while t < stop:
        nxt = min(t + _STEP, stop)
        new = _state(nxt, zone)
        if new != state:
            lo, hi = t, nxt
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid <= lo:
                    mid = lo + dt.timedelta(seconds=1)
                if _state(mid, zone) == state:
                    lo = mid
                else:
                    hi = mid
            new = _state(hi, zone)
            onset = (hi + state[0]).replace(tzinfo=None)
            found.append(Transition(onset, state[0], new[0], new[2], new[1]))
            state = new
            t = hi
            continue
        t = nxt
    return initial[0], initial[1], initial[2], found


def _rules(onset: dt.datetime) -> list[str]:
    """Yearly rules that put an onset on its day, most readable first.

    "Last Sunday" and "second Sunday" cover Europe and North America; a weekday within a
    7-day window covers rules like Chile's "Sunday after the first Saturday" (tzdata's
    ``Sun>=2``) and Greenland's "Saturday before the last Sunday".
    """
    weekday = _WEEKDAYS[onset.weekday()]
    day = onset.day
    days_in_month = calendar.monthrange(onset.year, onset.month)[1]
    rules = []
    if day + 7 > days_in_month:
        rules.append(f"BYDAY=-1{weekday}")
    if day <= 28:
        rules.append(f"BYDAY={(day - 1) // 7 + 1}{weekday}")
    for first in range(max(1, day - 6), min(day, 25) + 1):
        days = ",".join(str(d) for d in range(first, first + 7))
        rules.append(f"BYDAY={weekday};BYMONTHDAY={days}")
    rules.append(f"BYMONTHDAY={day}")
    return rules


def _observance(kind: str, onset: dt.datetime, offset_from: dt.timedelta, offset_to: dt.timedelta, name: str,
                rrule: str | None) -> list[str]:  # fmt: skip
    lines = [f"BEGIN:{kind}", f"DTSTART:{onset:%Y%m%dT%H%M%S}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines += [
        f"TZOFFSETFROM:{vUTCOffset(offset_from).to_ical()}",
        f"TZOFFSETTO:{vUTCOffset(offset_to).to_ical()}",
    ]
    if name:
        lines.append(f"TZNAME:{name}")
    lines.append(f"END:{kind}")
    return lines


@lru_cache(maxsize=256)
def vtimezone_lines(tzid: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """The content lines of a VTIMEZONE valid from 1 January ``first_year`` on.

    Exact to the second through ``last_year``; after it the zone's rule of the last
    years continues (open-ended RRULEs), which is also what every client assumes.
    """
    offset, is_dst, name, found = transitions(tzid, first_year, last_year)
    kind = "DAYLIGHT" if is_dst else "STANDARD"
    new_year = dt.datetime.combine(dt.date(first_year, 1, 1), dt.time())  # floating, as DTSTART is here
    observances = [(new_year, _observance(kind, new_year, offset, offset, name, None))]
    groups: dict[tuple, list[Transition]] = defaultdict(list)
    for tr in found:
        groups[(tr.is_dst, tr.offset_from, tr.offset_to, tr.name, tr.onset.month, tr.onset.time())].append(tr)
    for group in groups.values():
        runs: list[tuple[list[Transition], list[str]]] = []
        for tr in group:
            if runs:
                run, rules = runs[-1]
                common = [r for r in rules if r in _rules(tr.onset)]
                if tr.onset.year == run[-1].onset.year + 1 and common:
                    run.append(tr)
                    runs[-1] = (run, common)
                    continue
            runs.append(([tr], _rules(tr.onset)))
        for run, rules in runs:
            first = run[0]
            rrule = None
            if len(run) > 1:
                rrule = f"FREQ=YEARLY;BYMONTH={first.onset.month};{rules[0]}"
                if run[-1].onset.year < last_year:
                    rrule += f";COUNT={len(run)}"
            kind = "DAYLIGHT" if first.is_dst else "STANDARD"
            lines = _observance(kind, first.onset, first.offset_from, first.offset_to, first.name, rrule)
            observances.append((first.onset, lines))
    observances.sort(key=lambda item: item[0])
    out = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]  # no X-LIC-LOCATION: dateutil.tz.tzical rejects it
    for _onset, lines in observances:
        out.extend(lines)
    out.append("END:VTIMEZONE")
    return tuple(out)
