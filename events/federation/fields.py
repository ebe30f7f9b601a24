"""An event sent as fields (the partner API), checked by the same rules as a VEVENT."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from community.sanitise import sanitise_html
from events.federation.normalise import TITLE_MAX, UID_MAX, VENUE_MAX, IncomingEvent, midnight
from events.federation.text import clean_text
from events.models.events import DESCRIPTION_MAX_CHARS, EventStatus, available_timezones
from events.recurrence import parse_rule


def incoming_from_fields(
    *,
    uid: str,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    timezone: str,
    all_day: bool = False,
    description: str = "",
    status: str = EventStatus.CONFIRMED,
    sequence: int = 0,
    url: str = "",
    venue: str = "",
    online_url: str = "",
    rrule: str = "",
) -> IncomingEvent:
    """The same checks as for a VEVENT, for an event sent as fields (the partner API).

    Raises ValidationError keyed by field name.
    """
    errors: dict[str, list[str]] = {}
    uid = clean_text(uid, UID_MAX + 1)
    if not uid or len(uid) > UID_MAX:
        errors["uid"] = [_("A UID of 1 to %(n)s characters is required.") % {"n": UID_MAX}]
    if timezone not in available_timezones():
        errors["timezone"] = [_("“%(tz)s” is not a known IANA time zone, e.g. Europe/Madrid.") % {"tz": timezone}]
        timezone = "UTC"
    zone = zoneinfo.ZoneInfo(timezone)
    if all_day:
        start = midnight(start.astimezone(zone).date(), timezone)
        end = midnight(end.astimezone(zone).date(), timezone)
        if end <= start:
            end = start + dt.timedelta(days=1)
    start, end = start.astimezone(dt.UTC).replace(microsecond=0), end.astimezone(dt.UTC).replace(microsecond=0)
    if end < start:
        errors["end"] = [_("The end is before the start.")]
    for name, value in (("url", url), ("online_url", online_url)):
        if value and not re.match(r"https?://[^\s]+$", value, re.IGNORECASE):
            errors[name] = [_("Only http:// and https:// addresses.")]
    event = IncomingEvent(
        uid=uid,
        recurrence_id=None,
        title=clean_text(title, TITLE_MAX),
        description=sanitise_html(description),
        start=start,
        end=end,
        timezone=timezone,
        all_day=all_day,
        status=status,
        sequence=sequence,
        url=url,
        venue=clean_text(venue, VENUE_MAX),
        online_url=online_url,
    )
    if not event.title:
        errors["title"] = [_("A title is required.")]
    if len(event.description) > DESCRIPTION_MAX_CHARS:
        errors["description"] = [_("At most %(n)s characters.") % {"n": DESCRIPTION_MAX_CHARS}]
    if rrule:
        try:
            parse_rule(rrule, start.astimezone(zone))
            event.rrule = rrule.strip().removeprefix("RRULE:")
        except ValidationError as exc:
            errors["rrule"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return event
