"""Read a plain VEVENT block into icalendar's own Event component, for the properties Praxis reads.

Why: icalendar's ``Calendar.from_ical`` was 40 % of a first import. Most of it is the
character-by-character split of every content line (``Contentline.raw_parts``, a Python loop
over each 500-character description) and property objects for properties the import never
looks at (DTSTAMP, ATTENDEE, ORGANIZER, CREATED, …). This reader unfolds and splits lines
with icalendar's own regular expressions and ``str.find``, skips every property
``normalise_event`` does not read, and builds the others exactly as icalendar's parser does:
the same value type (``types_factory.for_property``), the same ``from_ical`` with the TZID,
the same unescaping, the same parameters, added to an ``icalendar.Event`` with ``add(…,
encode=False)``. The component ``normalise_event`` receives is therefore icalendar's, minus
properties it ignores.

It reads only what it can read with certainty, and returns None for anything else so the
block goes through icalendar (``events.federation.parse``): a nested component (VALARM) or a
stray BEGIN/END, a name that is not a plain token, a line without a colon, a parameter
section with quotes or backslashes that icalendar's own line parser refuses, a value icalendar
would keep as "broken" (it reports those), bytes that are not UTF-8, DUE (its TZID lookup
could warn). ``tests/events/federation/test_vevent_reader.py`` holds it to icalendar's result
over the whole real-world corpus and mutated calendars.

The calendar's VTIMEZONEs must have been parsed first (``parse.check_context`` does), so a
TZID resolves to the zone icalendar would give it inside the calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.cal.component import Component
from icalendar.parser.content_line import NEWLINE, UFOLD, Contentline
from icalendar.parser.parameter import Parameters
from icalendar.parser.property import unescape_backslash
from icalendar.prop import vDDDTypes, vText

# What normalise_event and text.description_html read; every other property is skipped.
READ = frozenset(
    {
        "UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SUMMARY", "DESCRIPTION", "X-ALT-DESC",
        "LOCATION", "URL", "STATUS", "SEQUENCE", "LAST-MODIFIED", "GEO", "RRULE", "RDATE", "EXDATE",
    }
)  # fmt: skip
# icalendar looks these up with their TZID (ComponentIcalParser.datetime_names).
_DATETIME_NAMES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "DUE", "RDATE", "EXDATE"})
_DECLINE = frozenset({"BEGIN", "END", "DUE"})
_TOKEN_RE = re.compile(r"[A-Za-z0-9-]+")
_TYPES = Calendar.types_factory
_DDD_VALUES = (dt.datetime, dt.date, dt.timedelta, dt.time, tuple)  # what vDDDTypes accepts
_NO_PARAMS = Parameters()  # only read (its VALUE, its emptiness); a property gets its own empty Parameters


class _Decline(Exception):
    """The block is not one this reader can vouch for; icalendar reads it."""


def read_vevent(raw: bytes) -> Component | None:
    """The VEVENT in ``raw`` (one block, ``\\n`` line ends) as icalendar would parse it, or None.

    None means "not certain": the caller parses the block with icalendar instead.
    """
    try:
        return _read(raw)
    except _Decline:
        return None
    except Exception:  # noqa: BLE001 - any surprise in a value type sends the block to icalendar, which reports it
        return None


def _read(raw: bytes) -> Component:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Decline from exc
    if "\n\n" in text or "\r" in text:
        lines = [line for line in NEWLINE.split(UFOLD.sub("", text)) if line]
    else:
        # icalendar's UFOLD with no blank lines and no CR to account for: every "\n " or "\n\t" goes.
        lines = text.replace("\n ", "").replace("\n\t", "").split("\n")
        if not lines[-1]:
            lines.pop()
    if len(lines) < 2 or lines[0].upper() != "BEGIN:VEVENT" or lines[-1].upper() != "END:VEVENT":
        raise _Decline
    component = VEvent()
    for line in lines[1:-1]:
        colon = line.find(":")
        if colon <= 0:
            raise _Decline
        semi = line.find(";", 0, colon)
        head = line[:colon] if semi < 0 else line[:semi]
        if not _TOKEN_RE.fullmatch(head):
            raise _Decline
        name = head.upper()
        if name not in READ:
            if name in _DECLINE:
                raise _Decline
            continue
        if semi < 0:
            params, value = _NO_PARAMS, line[colon + 1 :]
        else:
            params, value = _params_and_value(line, semi, colon)
        _add(component, name, params, value)
    return component


def _params_and_value(line: str, semi: int, colon: int) -> tuple[Parameters, str]:
    section = line[semi + 1 : colon]
    if '"' in section or "\\" in section:
        # A quoted section may hold the colon: icalendar's own line parser finds the real one.
        name, params, value = Contentline(line).raw_parts()
        if name.upper() != line[:semi].upper():
            raise _Decline
        return params, value
    # No quotes or backslashes before the first colon: icalendar splits the line there too.
    return Parameters(_parsed_section(line[:semi], section)), line[colon + 1 :]


@lru_cache(maxsize=1024)
def _parsed_section(head: str, section: str) -> tuple[tuple[str, str], ...]:
    """The parameters of ``section`` as icalendar reads them (cached: a feed repeats a few TZIDs).

    Raises _Decline when icalendar refuses them or reads a list (kept out of the cache's reach).
    """
    try:
        _name, params, _value = Contentline(f"{head};{section}:").raw_parts()
    except ValueError as exc:
        raise _Decline from exc
    items = tuple(params.items())
    if any(not isinstance(value, str) for _key, value in items):
        raise _Decline
    return items


def _add(component: Component, name: str, params: Parameters, value: str) -> None:
    """What ``ComponentIcalParser.handle_property`` and ``parse_and_add_property`` do for one line.

    Three shortcuts, each giving the same component: a TEXT value's ``from_ical`` already is
    the ``vText`` icalendar would copy it into; a property without parameters keeps the empty
    ``Parameters`` its constructor made; a first value is set under its upper-case name, as
    ``Component.add`` would set it.
    """
    factory = _factory(name, params.value if params else None)
    if "\\" in value and not hasattr(factory, "get_value_from_content_line"):
        value = unescape_backslash(value)  # Contentline.parts(); UNKNOWN values stay verbatim
    if name == "RDATE" and value == "":
        return  # icalendar's workaround for an empty RDATE: nothing added
    tzid = params.get("TZID") if params and name in _DATETIME_NAMES else None
    try:
        parsed = factory.from_ical(value, tzid) if tzid else factory.from_ical(value)
    except (ValueError, TypeError) as exc:
        raise _Decline from exc  # icalendar keeps a vBroken and reports it; let it
    if factory is vDDDTypes and isinstance(parsed, _DDD_VALUES):
        prop = _date_or_time(parsed, params)
    else:
        prop = parsed if factory is vText and type(parsed) is vText else factory(parsed)
        if params or prop.params:
            prop.params = params if params is not _NO_PARAMS else Parameters()
    if dict.get(component, name) is None:
        component[name] = prop
    else:
        component.add(name, prop, encode=False)


def _date_or_time(value: object, params: Parameters) -> vDDDTypes:
    """``vDDDTypes(value)`` with ``params`` as the parser leaves it.

    The constructor works out parameters from the value (a TZID from the zone, through
    icalendar's table of equivalent zone names: a third of this reader's time) that the
    parser then replaces with the line's own; this sets the two attributes it ends with.
    """
    prop = vDDDTypes.__new__(vDDDTypes)
    prop.dt = value
    prop.params = params if params is not _NO_PARAMS else Parameters()
    return prop


@lru_cache(maxsize=256)
def _factory(name: str, value_param: str | None) -> type:
    return _TYPES.for_property(name, value_param)
