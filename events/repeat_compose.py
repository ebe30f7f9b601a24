"""The repeat widget's plain choices turned into an RRULE, and a stored rule back into them.

People choose how an event repeats (daily, weekly on chosen days, monthly on a date or on the
nth weekday, yearly; every N; ending after N times or on a date); the server composes the rule
from those plain fields, so the form works without JavaScript. The composed rule then goes
through exactly the validation a typed RRULE does (``Event.clean``), so both say the same.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError

from events.rules import normalise_rrule, parse_until

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = ("daily", "weekly", "monthly", "yearly")
MONTHLY_BY = ("date", "nth", "last")
ENDS = ("never", "count", "until")


def nth_of_month(day: dt.date) -> int:
    """Which of its weekday in the month ``day`` is: 1 for the first Tuesday, … 5."""
    return (day.day - 1) // 7 + 1


def compose_rule(
    *,
    frequency: str,
    start: dt.date,
    interval: int = 1,
    weekdays: list[str] | tuple[str, ...] = (),
    monthly_by: str = "date",
    ends: str = "never",
    count: int | None = None,
    until: dt.date | None = None,
) -> str:
    """The RRULE the choices mean for a series whose first day is ``start``.

    Weekly with no days chosen repeats on the start's weekday; monthly "nth" takes the start's
    place in its month (5 January 2027 is the first Tuesday), "last" the last such weekday.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")
    parts = [f"FREQ={frequency.upper()}"]
    if interval and interval > 1:
        parts.append(f"INTERVAL={interval}")
    weekday = WEEKDAY_CODES[start.weekday()]
    if frequency == "weekly":
        chosen = [code for code in WEEKDAY_CODES if code in set(weekdays)] or [weekday]
        parts.append("BYDAY=" + ",".join(chosen))
    elif frequency == "monthly" and monthly_by == "nth":
        parts.append(f"BYDAY={nth_of_month(start)}{weekday}")
    elif frequency == "monthly" and monthly_by == "last":
        parts.append(f"BYDAY=-1{weekday}")
    if ends == "count" and count:
        parts.append(f"COUNT={count}")
    elif ends == "until" and until:
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


def decompose_rule(rrule: str, *, start: dt.datetime, all_day: bool = False) -> dict | None:
    """The widget's choices for a stored rule, or None when only the raw field can say it.

    ``start`` is the series' first start in its own zone. The result, composed again with
    ``compose_rule``, means the same rule.
    """
    if not rrule:
        return {"repeat": "none"}
    zone = start.tzinfo if isinstance(start.tzinfo, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo("UTC")
    try:
        stored = normalise_rrule(rrule, zone=zone, all_day=all_day)
    except ValidationError:
        return None
    parts = dict(part.split("=", 1) for part in stored.split(";"))
    parts.pop("WKST", None)
    frequency = parts.pop("FREQ").lower()
    if frequency not in FREQUENCIES:
        return None
    choices: dict = {"repeat": frequency, "repeat_interval": int(parts.pop("INTERVAL", "1")), "repeat_ends": "never"}
    if "COUNT" in parts:
        choices["repeat_ends"], choices["repeat_count"] = "count", int(parts.pop("COUNT"))
    elif "UNTIL" in parts:
        until = parse_until(parts.pop("UNTIL"), zone=zone, all_day=all_day)
        choices["repeat_ends"] = "until"
        choices["repeat_until"] = until.astimezone(zone).date() if isinstance(until, dt.datetime) else until
    byday = parts.pop("BYDAY", "")
    weekday = WEEKDAY_CODES[start.weekday()]
    if frequency == "weekly":
        days = byday.split(",") if byday else [weekday]
        if not set(days) <= set(WEEKDAY_CODES):
            return None
        choices["repeat_weekdays"] = days
    elif frequency == "monthly" and byday:
        if byday == f"{nth_of_month(start.date())}{weekday}":
            choices["repeat_monthly"] = "nth"
        elif byday == f"-1{weekday}":
            choices["repeat_monthly"] = "last"
        else:
            return None
    elif frequency == "monthly":
        if parts.pop("BYMONTHDAY", str(start.day)) != str(start.day):
            return None
        choices["repeat_monthly"] = "date"
    elif byday:
        return None
    if parts:  # BYMONTH, BYSETPOS, …: more than the widget can say
        return None
    return choices
