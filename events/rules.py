"""The calendar's rules for one event, as plain functions every writer shares.

The model's ``clean()`` and ``save()``, the front-end form, the Wagtail admin form, the
API and the feed importer all call these, so no path stores what another refuses.
Nothing here touches the database: the functions take values and return values or
raise ``ValidationError`` with a message meant for the person who typed the value.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

# Dates people and feeds may use. Outside this range the calendar is meaningless and
# Python's datetime arithmetic overflows (year 1 minus a day, year 9999 plus a month).
YEAR_MIN = 1900
YEAR_MAX = 2200
EARLIEST = dt.datetime(YEAR_MIN, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(YEAR_MAX, 12, 31, 23, 59, 59, tzinfo=dt.UTC)

# iCalendar TEXT can carry tabs and line breaks (escaped) but no other control character;
# a vertical tab pasted from a word processor would reach SUMMARY raw.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK_RE = re.compile(r"[\t\r\n]+")

RRULE_PARTS = frozenset(
    {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
     "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"}
)  # fmt: skip
FREQUENCIES = frozenset({"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_UNTIL_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")


_MINTED_UID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@praxis$")


def is_minted_uid(uid: str) -> bool:
    """A UID Praxis made (``<uuid4>@praxis``): unique across the whole site."""
    return bool(_MINTED_UID_RE.match(uid))


def check_uid(uid: str, *, minted_here: bool) -> None:
    """A UID from outside may be anything but empty, too long, or the form Praxis mints
    (which would let one organisation's event collide with another's in combined feeds)."""
    if not uid or not uid.strip():
        raise ValidationError(_("An event needs a UID."), code="required")
    if len(uid) > 255:
        raise ValidationError(_("A UID may have at most 255 characters."), code="max_length")
    if not minted_here and uid.lower().endswith("@praxis"):
        raise ValidationError(_("UIDs ending in @praxis are made by Praxis; use your own."), code="reserved")


def clean_line(value: str) -> str:
    """One line of text: control characters removed, tabs and line breaks made spaces, trimmed."""
    if not value:
        return ""
    return _LINE_BREAK_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()


def clean_multiline(value: str) -> str:
    """Text that may keep its line breaks (normalised to \\n); other control characters go."""
    if not value:
        return ""
    return _CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def check_in_range(value: dt.datetime | dt.date | None, *, field_label: str) -> None:
    """Refuse dates outside YEAR_MIN..YEAR_MAX with a message naming the field."""
    if value is None:
        return
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("%(field)s must be between the years %(min)s and %(max)s."),
            params={"field": field_label, "min": YEAR_MIN, "max": YEAR_MAX},
            code="out_of_range",
        )


def resolve_local(naive: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time typed by a person, as an aware instant in ``zone``.

    A time in the hour that is skipped when clocks go forward does not exist: it is refused
    with the valid time it would otherwise silently become. A time in the repeated hour when
    clocks go back takes its first occurrence (fold=0), as RFC 5545 §3.3.5 says.
    """
    naive = naive.replace(tzinfo=None, fold=0)
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(dt.UTC).astimezone(zone)
    if back.replace(tzinfo=None, fold=0) != naive:
        raise ValidationError(
            _(
                "%(time)s does not exist in %(zone)s on %(date)s: the clocks go forward then. "
                "Did you mean %(suggestion)s?"
            ),
            params={
                "time": naive.strftime("%H:%M"),
                "zone": zone.key,
                "date": formats.date_format(naive.date(), "DATE_FORMAT"),
                "suggestion": back.strftime("%H:%M"),
            },
            code="nonexistent_time",
        )
    return aware


def _rule_parts(text: str) -> list[tuple[str, str]]:
    """``FREQ=WEEKLY;COUNT=3`` as [(name, value)], with messages for a person, not a parser."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or "\r" in text:
        raise ValidationError(_("Enter one repeat rule, e.g. FREQ=WEEKLY;COUNT=10."), code="invalid_rrule")
    parts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        name, sep, value = chunk.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not name or not value:
            raise ValidationError(
                _("Each part of a repeat rule looks like NAME=VALUE, e.g. FREQ=WEEKLY;COUNT=10; “%(part)s” does not."),
                params={"part": chunk.strip()[:40]},
                code="invalid_rrule",
            )
        if name not in RRULE_PARTS:
            raise ValidationError(
                _("“%(name)s” is not part of a repeat rule (use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY …)."),
                params={"name": name[:40]},
                code="invalid_rrule",
            )
        if name in seen:
            message = _("%(name)s appears twice in the repeat rule.")
            raise ValidationError(message, params={"name": name}, code="invalid_rrule")
        seen.add(name)
        parts.append((name, value))
    names = dict(parts)
    if names.get("FREQ") not in FREQUENCIES:
        raise ValidationError(
            _("A repeat rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, e.g. FREQ=WEEKLY;COUNT=10."),
            code="invalid_rrule",
        )
    if "COUNT" in names and "UNTIL" in names:
        raise ValidationError(_("Use COUNT or UNTIL to end a repeat rule, not both."), code="invalid_rrule")
    for name in ("COUNT", "INTERVAL"):
        if name in names and not (names[name].isdigit() and 0 < int(names[name]) < 100_000):
            raise ValidationError(
                _("%(name)s must be a positive whole number."), params={"name": name}, code="invalid_rrule"
            )
    return parts


def parse_until(value: str, *, zone: zoneinfo.ZoneInfo, all_day: bool) -> dt.date | dt.datetime:
    """UNTIL as typed or imported: a DATE, a local date-time or a UTC date-time.

    For an all-day series it is a date; for a timed one an aware UTC instant (a date means
    the end of that day in the event's zone, a local date-time is read in the event's zone).
    """
    match = _UNTIL_RE.match(value)
    if match is None:
        raise ValidationError(
            _("UNTIL must be a date like 20271231 or a date-time like 20271231T235959Z."), code="invalid_rrule"
        )
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
        time = dt.time(int(hour), int(minute), int(second)) if hour is not None else None
    except ValueError as exc:
        raise ValidationError(_("UNTIL is not a real date."), code="invalid_rrule") from exc
    check_in_range(date, field_label="UNTIL")
    if all_day:
        if time is not None and utc:
            return dt.datetime.combine(date, time, dt.UTC).astimezone(zone).date()
        return date
    if time is None:
        return dt.datetime.combine(date, dt.time(23, 59, 59), zone).astimezone(dt.UTC)
    if utc:
        return dt.datetime.combine(date, time, dt.UTC)
    return dt.datetime.combine(date, time, zone).astimezone(dt.UTC)


def normalise_rrule(text: str, *, zone: zoneinfo.ZoneInfo, all_day: bool) -> str:
    """The rule in the one form Praxis stores and exports: upper case, no ``RRULE:`` prefix,
    UNTIL a DATE for all-day series and a UTC date-time otherwise (RFC 5545 §3.3.10)."""
    if not text or not text.strip():
        return ""
    out = []
    for name, value in _rule_parts(text):
        if name == "UNTIL":
            until = parse_until(value, zone=zone, all_day=all_day)
            value = until.strftime("%Y%m%dT%H%M%SZ" if isinstance(until, dt.datetime) else "%Y%m%d")
        out.append(f"{name}={value}")
    return ";".join(out)


def check_coordinates(latitude, longitude) -> dict[str, str]:
    """Errors by field for coordinates out of range, or only one of the two given."""
    errors: dict[str, str] = {}
    if latitude is not None and not -90 <= float(latitude) <= 90:
        errors["latitude"] = _("Latitude must be between -90 and 90.")
    if longitude is not None and not -180 <= float(longitude) <= 180:
        errors["longitude"] = _("Longitude must be between -180 and 180.")
    if (latitude is None) != (longitude is None) and not errors:
        errors["latitude" if latitude is None else "longitude"] = _("Give both latitude and longitude, or neither.")
    return errors


def parse_instant_list(values, *, zone: zoneinfo.ZoneInfo, field_label: str) -> list[str]:
    """RDATE/EXDATE values (ISO 8601; naive means wall time in ``zone``) as sorted UTC ISO strings."""
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        raise ValidationError(_("%(field)s must be a list of dates."), params={"field": field_label}, code="invalid")
    out = set()
    for value in values:
        try:
            instant = dt.datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(
                _("%(field)s: “%(value)s” is not an ISO 8601 date-time."),
                params={"field": field_label, "value": str(value)[:40]},
                code="invalid",
            ) from exc
        check_in_range(instant, field_label=field_label)
        if instant.tzinfo is None:
            instant = resolve_local(instant, zone)
        out.add(instant.astimezone(dt.UTC).replace(microsecond=0).isoformat())
    return sorted(out)
