"""Turn one parsed VEVENT into the values of an Event row, or a reason it cannot be one.

What real calendars send and what is done with it:

- X-WR-TIMEZONE (Google): UTC and floating times belong to that zone (what the
  ``x-wr-timezone`` package does, applied here value by value so a feed with a few changed
  events need not walk the whole calendar).
- Windows zone names (Outlook/Exchange "W. Europe Standard Time") map to IANA through
  icalendar's CLDR table; "Customized Time Zone" and other unknown names keep the instants
  their VTIMEZONE defines and get the IANA zone whose offsets match, reported as a guess.
- Floating times take the calendar's zone, else the feed's default zone.
- DURATION instead of DTEND; no DTEND (a date: one day; a date-time: zero length).
- DESCRIPTION, or the HTML of X-ALT-DESC, through ``community.sanitise`` on the way in;
  URL kept only when http(s); every text capped to its column.
- RRULE kept as the rule (UNTIL rewritten in UTC so the stored rule parses with an aware
  DTSTART); RDATE/EXDATE as UTC instants; RECURRENCE-ID as the UTC instant it replaces.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from icalendar.cal.component import Component
from icalendar.prop import vRecur
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from events.federation.text import clean_text, description_html_and_text
from events.models.events import Event, EventStatus, available_timezones
from events.recurrence import parse_rule

TITLE_MAX = Event._meta.get_field("title").max_length
VENUE_MAX = Event._meta.get_field("venue").max_length
URL_MAX = Event._meta.get_field("url").max_length
UID_MAX = Event._meta.get_field("uid").max_length
RRULE_MAX = Event._meta.get_field("rrule").max_length
FALLBACK_ZONE = Event._meta.get_field("timezone").default
MAX_DATES = 1000  # RDATE/EXDATE values kept per event
_SEQUENCE_MAX = 2**31 - 1
_STATUS = {"CONFIRMED": EventStatus.CONFIRMED, "TENTATIVE": EventStatus.TENTATIVE, "CANCELLED": EventStatus.CANCELLED}


class EventProblem(Exception):
    """This VEVENT cannot become an event; the message names the property and the reason."""

    def __init__(self, message: str, *, kind: str, prop: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.prop = prop


@dataclass
class CalendarContext:
    """What a VEVENT's times mean outside itself: the calendar's and the feed's default zones."""

    x_wr_timezone: str = ""
    default_timezone: str = ""

    @property
    def floating_zone(self) -> str:
        for name in (self.x_wr_timezone, self.default_timezone):
            if name in available_timezones():
                return name
        return FALLBACK_ZONE


@dataclass
class IncomingEvent:
    """The values for one Event row, all checked; ``key`` is (uid, recurrence_id)."""

    uid: str
    recurrence_id: dt.datetime | None
    title: str
    description: str  # sanitised HTML
    start: dt.datetime  # aware, UTC
    end: dt.datetime
    timezone: str
    all_day: bool
    rrule: str = ""
    rdates: list[str] = field(default_factory=list)
    exdates: list[str] = field(default_factory=list)
    status: str = EventStatus.CONFIRMED
    sequence: int = 0
    last_modified: dt.datetime | None = None
    venue: str = ""
    url: str = ""
    online_url: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    position: int | None = None
    description_text: str = ""  # its plain text; empty means "work it out from description"
    block_hash: str = ""
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, property, message)

    @property
    def key(self) -> tuple[str, dt.datetime | None]:
        return (self.uid, self.recurrence_id)


def _raw(component: Component, name: str):
    """A property by its upper-case name, skipping CaselessDict's per-call case folding
    (icalendar stores every key upper-cased; this lookup ran 130,000 times per 10,000 events)."""
    return dict.get(component, name)


@lru_cache(maxsize=512)
def _zone_by_offsets(offsets: tuple[int, int]) -> str:
    """The IANA zone with these UTC offsets in January and July, preferring the common ones."""
    preferred = ("Europe/Brussels", "Europe/London", "Europe/Helsinki", "America/New_York", "UTC")
    for name in preferred + tuple(sorted(available_timezones())):
        zone = zoneinfo.ZoneInfo(name)
        jan = dt.datetime(2025, 1, 15, 12, tzinfo=zone).utcoffset()
        jul = dt.datetime(2025, 7, 15, 12, tzinfo=zone).utcoffset()
        if (int(jan.total_seconds()), int(jul.total_seconds())) == offsets:
            return name
    return ""


def zone_name(value: dt.datetime, tzid: str, event: IncomingEvent | None = None) -> str:
    """The IANA name for the zone of ``value`` (written with TZID ``tzid``)."""
    tzinfo = value.tzinfo
    if isinstance(tzinfo, zoneinfo.ZoneInfo) and tzinfo.key in available_timezones():
        return tzinfo.key
    for candidate in (tzid, tzid.strip('"'), WINDOWS_TO_OLSON.get(tzid.strip('"'), "")):
        if candidate in available_timezones():
            return candidate
    offsets = []
    for month in (1, 7):
        try:
            moment = value.replace(year=2025, month=month, day=15, hour=12)
            offsets.append(int(moment.utcoffset().total_seconds()))
        except (ValueError, TypeError, OverflowError, AttributeError):
            offsets.append(0)
    guess = _zone_by_offsets(tuple(offsets)) or "UTC"
    if event is not None:
        event.warnings.append(
            (
                "timezone_guessed",
                "DTSTART",
                _("Unknown time zone “%(tzid)s”: times kept as its VTIMEZONE defines them, shown in %(zone)s.")
                % {"tzid": tzid, "zone": guess},
            )
        )
    return guess


def _prop(component: Component, name: str):
    value = _raw(component, name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _is_utc(value: dt.datetime) -> bool:
    offset = value.utcoffset()
    name = value.tzname() if value.tzinfo else None
    return offset == dt.timedelta(0) and (value.tzinfo is dt.UTC or name in ("UTC", "Z", "GMT", "Etc/UTC"))


def _decode_time(component: Component, name: str, context: CalendarContext, event: IncomingEvent | None):
    """(aware datetime or date, zone name) of a DTSTART/DTEND/RECURRENCE-ID property."""
    prop = _prop(component, name)
    if prop is None:
        return None, ""
    try:
        value = prop.dt
    except AttributeError as exc:
        raise EventProblem(
            _("%(prop)s has a value that is not a date or time.") % {"prop": name}, kind="bad_date", prop=name
        ) from exc
    if isinstance(value, tuple):  # a PERIOD
        value = value[0]
    if isinstance(value, dt.datetime):
        tzid = str(prop.params.get("TZID", "")) if hasattr(prop, "params") else ""
        if value.tzinfo is None:
            zone = context.floating_zone
            return value.replace(tzinfo=zoneinfo.ZoneInfo(zone)), zone
        if _is_utc(value):
            zone = context.x_wr_timezone if context.x_wr_timezone in available_timezones() else "UTC"
            return value, zone
        return value, zone_name(value, tzid, event)
    if isinstance(value, dt.date):
        return value, ""
    raise EventProblem(
        _("%(prop)s has a value that is not a date or time.") % {"prop": name}, kind="bad_date", prop=name
    )


def midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(zone))


def _instant(value, zone: str) -> dt.datetime:
    if isinstance(value, tuple):
        value = value[0]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        return value.astimezone(dt.UTC).replace(microsecond=0)
    if isinstance(value, dt.date):
        return midnight(value, zone).astimezone(dt.UTC)
    raise TypeError(value)


def _date_list(component: Component, name: str, zone: str, event: IncomingEvent) -> list[str]:
    values = _raw(component, name)
    if values is None:
        return []
    out: list[str] = []
    for item in values if isinstance(values, list) else [values]:
        for entry in getattr(item, "dts", []):
            try:
                out.append(_instant(entry.dt, zone).isoformat())
            except (TypeError, ValueError, OverflowError):
                event.warnings.append(
                    ("bad_date", name, _("A %(prop)s value was not a date; left out.") % {"prop": name})
                )
    if len(out) > MAX_DATES:
        event.warnings.append(
            (
                "too_many_dates",
                name,
                _("Only the first %(n)s %(prop)s values were kept.") % {"n": MAX_DATES, "prop": name},
            )
        )
    return sorted(set(out))[:MAX_DATES]


def _rule(component: Component, start: dt.datetime, zone: str, all_day: bool, event: IncomingEvent) -> str:
    rules = _raw(component, "RRULE")
    if rules is None:
        return ""
    if isinstance(rules, list):
        if len(rules) > 1:
            event.warnings.append(("multiple_rrule", "RRULE", _("Several RRULEs; only the first is kept.")))
        rules = rules[0]
    recur = vRecur(dict(rules))
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        elif not isinstance(value, dt.datetime):
            # A date UNTIL includes that whole day.
            value = midnight(value, zone) + dt.timedelta(days=1, seconds=-1)
        recur["UNTIL"] = [value.astimezone(dt.UTC)]
    text = recur.to_ical().decode()
    if not text.strip():
        event.warnings.append(("empty_rrule", "RRULE", _("An empty RRULE was ignored: imported as a single event.")))
        return ""
    if len(text) > RRULE_MAX:
        raise EventProblem(
            _("The RRULE is longer than %(n)s characters.") % {"n": RRULE_MAX}, kind="bad_rrule", prop="RRULE"
        )
    try:
        parse_rule(text, start.astimezone(zoneinfo.ZoneInfo(zone)))
    except ValidationError as exc:
        raise EventProblem(" ".join(exc.messages), kind="bad_rrule", prop="RRULE") from exc
    return text


def normalise_event(
    component: Component, *, context: CalendarContext, position: int | None = None, block_hash: str = ""
) -> IncomingEvent:
    """The Event values for ``component``, or EventProblem naming what is wrong."""
    uid = clean_text(_prop(component, "UID"), UID_MAX + 1)
    start_value, start_zone = _decode_time(component, "DTSTART", context, None)
    if start_value is None:
        raise EventProblem(_("The event has no DTSTART."), kind="missing_dtstart", prop="DTSTART")
    all_day = not isinstance(start_value, dt.datetime)
    zone = start_zone or context.floating_zone
    event = IncomingEvent(
        uid=uid,
        recurrence_id=None,
        title="",
        description="",
        start=dt.datetime.min.replace(tzinfo=dt.UTC),
        end=dt.datetime.min.replace(tzinfo=dt.UTC),
        timezone=zone,
        all_day=all_day,
        position=position,
        block_hash=block_hash,
    )
    if start_zone and not isinstance(start_value.tzinfo, zoneinfo.ZoneInfo) and not _is_utc(start_value):
        tzid = str(_prop(component, "DTSTART").params.get("TZID", ""))
        event.timezone = zone = zone_name(start_value, tzid, event)
    if len(uid) > UID_MAX:
        raise EventProblem(_("The UID is longer than %(n)s characters.") % {"n": UID_MAX}, kind="bad_uid", prop="UID")
    if not uid:
        # RFC 5545 requires a UID; without one an update could never find its event. A stable one
        # from what identifies the event keeps re-imports idempotent; the report says so.
        seed = f"{start_value.isoformat()}|{_prop(component, 'SUMMARY')}|{_prop(component, 'RRULE')}"
        event.uid = "praxis-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:20]
        event.warnings.append(
            ("missing_uid", "UID", _("No UID: derived %(uid)s from the start and title.") % {"uid": event.uid})
        )
    start = midnight(start_value, zone) if all_day else start_value
    end_value, _end_zone = _decode_time(component, "DTEND", context, None)
    duration = _prop(component, "DURATION")
    if end_value is not None:
        if all_day and not isinstance(end_value, dt.datetime):
            end = midnight(end_value, zone)
        elif all_day:
            end = midnight(end_value.astimezone(zoneinfo.ZoneInfo(zone)).date(), zone)
        elif isinstance(end_value, dt.datetime):
            end = end_value
        else:
            end = midnight(end_value, zone)
    elif duration is not None and isinstance(getattr(duration, "dt", None), dt.timedelta):
        end = start + duration.dt
    else:
        end = start + dt.timedelta(days=1) if all_day else start
    try:
        event.start = start.astimezone(dt.UTC).replace(microsecond=0)
        event.end = end.astimezone(dt.UTC).replace(microsecond=0)
    except (OverflowError, ValueError) as exc:
        raise EventProblem(
            _("The dates are out of range: %(e)s") % {"e": exc}, kind="bad_date", prop="DTSTART"
        ) from exc
    if event.end < event.start:
        raise EventProblem(
            _("DTEND (%(end)s) is before DTSTART (%(start)s).")
            % {"end": event.end.isoformat(), "start": event.start.isoformat()},
            kind="end_before_start",
            prop="DTEND",
        )
    rid_value, _rid_zone = _decode_time(component, "RECURRENCE-ID", context, None)
    if rid_value is not None:
        event.recurrence_id = _instant(rid_value, zone)

    summary = clean_text(_prop(component, "SUMMARY"), TITLE_MAX)
    if not summary:
        summary = _("(untitled)")
        event.warnings.append(("missing_summary", "SUMMARY", _("No SUMMARY: shown as “(untitled)”.")))
    event.title = summary
    event.description, event.description_text = description_html_and_text(component)
    status = str(_prop(component, "STATUS") or "").upper()
    event.status = _STATUS.get(status, EventStatus.CONFIRMED)
    try:
        event.sequence = max(0, min(int(str(_prop(component, "SEQUENCE") or 0)), _SEQUENCE_MAX))
    except ValueError:
        event.warnings.append(("bad_sequence", "SEQUENCE", _("SEQUENCE is not a number; taken as 0.")))
    modified = _prop(component, "LAST-MODIFIED")
    if modified is not None and isinstance(getattr(modified, "dt", None), dt.datetime):
        value = modified.dt
        event.last_modified = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)

    location = clean_text(_prop(component, "LOCATION"), 1000)
    if re.match(r"https?://\S+$", location) and len(location) <= URL_MAX:
        event.online_url = location
    else:
        event.venue = location[:VENUE_MAX]
    url = clean_text(_prop(component, "URL"), 2000)
    if url:
        if re.match(r"https?://[^\s]+$", url, re.IGNORECASE) and len(url) <= URL_MAX:
            event.url = url
        else:
            event.warnings.append(
                ("bad_url", "URL", _("URL left out: only http(s) addresses up to %(n)s characters.") % {"n": URL_MAX})
            )
    geo = _prop(component, "GEO")
    if geo is not None:
        try:
            lat, lon = (
                Decimal(str(geo.latitude)).quantize(Decimal("0.000001")),
                Decimal(str(geo.longitude)).quantize(Decimal("0.000001")),
            )
            if abs(lat) <= 90 and abs(lon) <= 180:
                event.latitude, event.longitude = lat, lon
        except (AttributeError, InvalidOperation, ValueError):
            event.warnings.append(("bad_geo", "GEO", _("GEO is not a latitude;longitude pair; left out.")))

    if event.recurrence_id is None:
        event.rrule = _rule(component, start, zone, all_day, event)
        event.rdates = _date_list(component, "RDATE", zone, event)
        event.exdates = _date_list(component, "EXDATE", zone, event)
    return event
