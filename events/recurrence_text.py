"""A repeat rule in words, in the page's language: "Every first Tuesday of the month, 8 times",
never ``FREQ=MONTHLY;BYDAY=1TU;COUNT=8``. Rules this cannot say exactly read "Repeats"."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.rules import normalise_rrule, parse_until

_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_NTH_DAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _ordinal(n: int) -> str:
    return {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        -1: _("last"),
        -2: _("second to last"),
    }.get(n, str(n))


def describe_rule(rrule: str, *, start: dt.datetime, all_day: bool = False) -> str:
    """``rrule`` (stored form) of a series starting at ``start`` (local), in words."""
    if not rrule:
        return ""
    try:
        stored = normalise_rrule(rrule, zone=start.tzinfo, all_day=all_day)
    except ValidationError:  # a rule from a feed we cannot read is still a repeating event
        return _("Repeats")
    parts = dict(part.split("=", 1) for part in stored.split(";"))
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
    if set(parts) - known:
        return _("Repeats")
    interval = int(parts.get("INTERVAL", "1") or 1)
    freq = parts["FREQ"]
    days = parts.get("BYDAY", "")
    matches = [_NTH_DAY.match(day) for day in days.split(",")] if days else []
    if any(m is None for m in matches):
        return _("Repeats")
    if freq == "DAILY" and not days:
        text = (
            _("Every day")
            if interval == 1
            else ngettext("Every %(n)s day", "Every %(n)s days", interval) % {"n": interval}
        )
    elif freq == "WEEKLY" and all(m.group(1) is None for m in matches):
        names = [str(WEEKDAYS[_DAYS[m.group(2)]]) for m in matches] or [str(WEEKDAYS[start.weekday()])]
        days_text = get_text_list(names, _("and"))
        if interval == 1:
            text = _("Every week on %(days)s") % {"days": days_text}
        else:
            text = ngettext("Every %(n)s week on %(days)s", "Every %(n)s weeks on %(days)s", interval) % {
                "n": interval,
                "days": days_text,
            }
    elif freq == "MONTHLY" and len(matches) == 1 and matches[0].group(1):
        nth, day = _ordinal(int(matches[0].group(1))), WEEKDAYS[_DAYS[matches[0].group(2)]]
        if interval == 1:
            text = _("Every month on the %(nth)s %(day)s") % {"nth": nth, "day": day}
        else:
            text = ngettext(
                "Every %(n)s month on the %(nth)s %(day)s", "Every %(n)s months on the %(nth)s %(day)s", interval
            ) % {"n": interval, "nth": nth, "day": day}
    elif freq == "MONTHLY" and not days:
        day = parts.get("BYMONTHDAY", str(start.day))
        if not day.lstrip("-").isdigit():
            return _("Repeats")
        if interval == 1:
            text = _("Every month on day %(day)s") % {"day": day}
        else:
            text = ngettext("Every %(n)s month on day %(day)s", "Every %(n)s months on day %(day)s", interval) % {
                "n": interval,
                "day": day,
            }
    elif freq == "YEARLY" and not days and "BYMONTHDAY" not in parts:
        date = formats.date_format(start, "MONTH_DAY_FORMAT")
        if interval == 1:
            text = _("Every year on %(date)s") % {"date": date}
        else:
            text = ngettext("Every %(n)s year on %(date)s", "Every %(n)s years on %(date)s", interval) % {
                "n": interval,
                "date": date,
            }
    else:
        return _("Repeats")
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        text += ngettext(", %(count)s time", ", %(count)s times", count) % {"count": count}
    elif "UNTIL" in parts:
        until = parse_until(parts["UNTIL"], zone=start.tzinfo, all_day=all_day)
        last = until.astimezone(start.tzinfo) if isinstance(until, dt.datetime) else until
        text += _(", until %(date)s") % {"date": formats.date_format(last, "DATE_FORMAT")}
    return text
