"""iCalendar (RFC 5545) export of events, written line by line.

Building an icalendar ``Event`` component per row and calling ``Calendar.to_ical()``
is the obvious way, and for 10,000 events most of its time goes into the component
tree, per-property type dispatch and a per-character line folder. Here every VEVENT is
written straight to content lines with icalendar's own value encoders (vText, vRecur,
vCategory, vGeo, vDuration, vUTCOffset) where they are cheap, and with small formatters
where they are hot (date-times, folding); tests prove those produce the same bytes as
icalendar's. Correctness is checked by parsing every feed with icalendar, vobject and
ical.js (tests/events/test_calendar_interop.py).

Choices that subscribers depend on:

- The body depends only on the rows and settings, never on "now" or the request's
  language: DTSTAMP and LAST-MODIFIED come from ``updated``, so a feed re-rendered
  later is byte-identical and can be cached and answered with 304 by its ETag.
- Times in an IANA zone carry TZID plus one VTIMEZONE per zone, built by
  ``events.ical.vtimezone``; UTC times are written as UTC ("Z").
- No ORGANIZER: in RFC 5546 it makes an event a scheduling object (Outlook shows a
  meeting whose organiser a subscriber cannot answer) and a non-mailto CAL-ADDRESS is
  shown as a broken address by some clients. The organiser is named in DESCRIPTION and
  in ``CONTACT;ALTREP="<organisation page>"``, which every parser reads as plain text.
- RDATE and EXDATE are written one value per line: multi-valued lines are where
  parsers disagree.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar.prop import vCategory, vDuration, vGeo, vRecur, vText

from community.models import Theme
from events.ical.vtimezone import is_utc_zone, vtimezone_lines
from events.models import Event, EventKind, EventStatus
from events.recurrence import rule_bounded_by_until, starts_off_rule
from events.rules import is_minted_uid

logger = logging.getLogger(__name__)

VTIMEZONE_EARLIEST_START = 2000
PRODID = "-//Praxis//Praxis calendar 1.0//EN"
_FOLD_LIMIT = 74  # octets per physical line before the CRLF (+ the space of a continuation)
_STATUS = {EventStatus.CONFIRMED: "CONFIRMED", EventStatus.TENTATIVE: "TENTATIVE", EventStatus.CANCELLED: "CANCELLED"}
_SENTINEL_PK = "987654321"
_SENTINEL_SLUG = "praxis-sentinel-slug"


def event_queryset_for_feed(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Add what ``render_calendar`` reads, so a feed costs a constant number of queries.

    Four queries whatever the size: the events (with their organiser's name and slug and
    the conference UID joined in as columns: building 10,000 Organisation instances
    would cost more than writing the feed), their themes, the overrides of recurring
    events (rows sharing the master's UID with a RECURRENCE-ID; removed ones left out,
    so the occurrence reverts to the rule), and the overrides' themes.
    """
    themes = Prefetch("themes", queryset=Theme.objects.only("name"))
    overrides = (
        Event.objects.filter(recurrence_id__isnull=False, removed_at__isnull=True)
        .annotate(**_FEED_COLUMNS)
        .prefetch_related(themes)
        .order_by("recurrence_id", "id")
    )
    return qs.annotate(**_FEED_COLUMNS).prefetch_related(
        themes, Prefetch("overrides", queryset=overrides, to_attr="prefetched_overrides")
    )


_FEED_COLUMNS = {
    "feed_parent_uid": F("parent__uid"),
    "feed_parent_organiser_id": F("parent__organiser_id"),
    "feed_organiser_name": F("organiser__name"),
    "feed_organiser_slug": F("organiser__slug"),
}


def exported_uid(uid: str, *, organiser_id: int) -> str:
    """The UID a feed carries: unique across organisations, and the same on every request.

    UIDs minted here (``<uuid4>@praxis``; no other writer may use that form, see
    ``events.rules.check_uid``) are unique already. Any other UID came from outside (a
    partner's feed or API) and is unique only within its organisation — two partners may
    publish the same one — so it is prefixed with the organisation's id.
    """
    if is_minted_uid(uid):
        return uid
    return f"o{organiser_id}-{uid}"


def render_calendar(
    events: Iterable[Event], *, name: str, description: str, url: str, source: str | None = None
) -> bytes:
    """The whole VCALENDAR for ``events`` (prepared by ``event_queryset_for_feed``).

    ``url`` is the page a person would look at (RFC 7986 URL); ``source`` the feed's own
    address (RFC 7986 SOURCE). Rendering is pinned to LANGUAGE_CODE so the bytes do not
    depend on the Accept-Language of whoever asked first.
    """
    with translation.override(settings.LANGUAGE_CODE):
        writer = _Writer()
        for event in events:
            writer.write_event(event)
        return assemble_calendar(writer.lines, writer.years, name=name, description=description, url=url, source=source)


def render_blocks(events: Iterable[Event]) -> list[tuple[int, list[str], dict[str, list[int]]]]:
    """Each event's VEVENT lines (with its overrides) and the years per TZID they need, apart,
    so they can be kept and put together again by ``assemble_calendar``."""
    out = []
    with translation.override(settings.LANGUAGE_CODE):
        writer = _Writer()
        for event in events:
            writer.lines, writer.years = [], {}
            writer.write_event(event)
            out.append((event.pk, writer.lines, writer.years))
    return out


def assemble_calendar(
    lines: list[str],
    years: dict[str, list[int]],
    *,
    name: str,
    description: str,
    url: str,
    source: str | None = None,
) -> bytes:
    """VCALENDAR head, one VTIMEZONE per TZID covering ``years``, the VEVENT ``lines``."""
    body = calendar_head(years, name=name, description=description, url=url, source=source)
    if lines:
        body += "\r\n" + "\r\n".join(lines)
    return (body + CALENDAR_TAIL).encode()


CALENDAR_TAIL = "\r\nEND:VCALENDAR\r\n"


def calendar_head(
    years: dict[str, list[int]], *, name: str, description: str, url: str, source: str | None = None
) -> str:
    """Everything before the first VEVENT, without a final CRLF: each VEVENT block follows
    as CRLF + its lines, and ``CALENDAR_TAIL`` closes the calendar (a streamed feed writes
    them in that order, ``events.ical.blocks``)."""
    with translation.override(settings.LANGUAGE_CODE):
        refresh = vDuration(dt.timedelta(hours=settings.CALENDAR_REFRESH_HOURS)).to_ical().decode()
        head = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"NAME:{_text(name)}",
            f"X-WR-CALNAME:{_text(name)}",
            f"DESCRIPTION:{_text(description)}",
            f"X-WR-CALDESC:{_text(description)}",
            f"URL;VALUE=URI:{url}",
        ]
        if source:
            head.append(f"SOURCE;VALUE=URI:{source}")
        head += [f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}", f"X-PUBLISHED-TTL:{refresh}"]
        for tzid in sorted(years):
            first, last = years[tzid]
            # Bounded so that odd imported dates (year 1 or 9999) cannot make the scan huge or
            # overflow; past the span the open-ended rules of the VTIMEZONE still apply.
            # Starting no later than 2000 also matters: vobject 0.9 compares a VTIMEZONE with
            # UTC over 2000-2020 and, if it sees no change there (Dublin, London and Lisbon
            # before a span that starts later), discards it as UTC and misreads the summer.
            first = min(max(first, 1900), 2200, VTIMEZONE_EARLIEST_START)
            head.extend(vtimezone_lines(tzid, first, min(max(last + 1, first), 2200)))
        return "\r\n".join(map(fold_line, head))


def fold_line(line: str) -> str:
    """RFC 5545 §3.1 folding: at most 75 octets per line, never inside a UTF-8 sequence.

    Gives exactly what icalendar 7's folder gives (a test compares them): pieces of at
    most 74 octets, cut on character boundaries, and a backslash or caret that would end
    a piece moves to the next one so an escape is not split (icalendar issue #1501). It
    slices instead of walking character by character, which is most of a feed's cost.
    """
    if line.isascii():
        if len(line) <= _FOLD_LIMIT:
            return line
        pieces, pos, size = [], 0, len(line)
        while size - pos > _FOLD_LIMIT:
            cut = pos + _FOLD_LIMIT
            if line[cut - 1] in "\\^":
                cut -= 1
            pieces.append(line[pos:cut])
            pos = cut
        pieces.append(line[pos:])
        return "\r\n ".join(pieces)
    data = line.encode()
    if len(data) <= _FOLD_LIMIT:
        return line
    chunks, pos, size = [], 0, len(data)
    while size - pos > _FOLD_LIMIT:
        cut = pos + _FOLD_LIMIT
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its lead byte
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        chunks.append(data[pos:cut].decode())
        pos = cut
    chunks.append(data[pos:].decode())
    return "\r\n ".join(chunks)


def _text(value: str) -> str:
    return vText(value).to_ical().decode()


def _stamp(instant: dt.datetime) -> str:
    u = instant.astimezone(dt.UTC)
    return f"{u.year:04}{u.month:02}{u.day:02}T{u.hour:02}{u.minute:02}{u.second:02}Z"


def _local(d: dt.datetime) -> str:
    return f"{d.year:04}{d.month:02}{d.day:02}T{d.hour:02}{d.minute:02}{d.second:02}"


def _date(d: dt.date) -> str:
    return f"{d.year:04}{d.month:02}{d.day:02}"


def _is_ambiguous(local: dt.datetime) -> bool:
    """A wall-clock time that happens twice (the hour repeated when clocks go back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _instants(values: list, zone: dt.tzinfo) -> list[dt.datetime]:
    out = []
    for value in values or ():
        try:
            instant = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        out.append(instant if instant.tzinfo else instant.replace(tzinfo=zone))
    return out


@lru_cache(maxsize=512)
def _rrule(text: str, all_day: bool, tzid: str) -> str | None:
    """The stored rule, normalised by icalendar, with UNTIL made the type RFC 5545 wants.

    UNTIL must be a DATE when DTSTART is a DATE and a UTC date-time otherwise; a rule
    typed by hand or imported may have either. Cached: most series share a few rules.
    """
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    try:
        rule = vRecur.from_ical(text)
    except ValueError:
        logger.warning("unreadable RRULE left out of a feed: %r", text)
        return None
    zone = dt.UTC if is_utc_zone(tzid) else zoneinfo.ZoneInfo(tzid)
    until = rule.get("UNTIL")
    if until:
        value = until[0] if isinstance(until, list) else until
        if all_day:
            if isinstance(value, dt.datetime):
                value = value.astimezone(zone).date() if value.tzinfo else value.date()
        elif not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(23, 59, 59), zone).astimezone(dt.UTC)
        else:
            value = (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(dt.UTC)
        rule["UNTIL"] = [value]
    return rule.to_ical().decode()


def _url_parts(name: str, kwarg: str, sentinel: str, fallback: str) -> tuple[str, str]:
    """Prefix and suffix of an object's page URL, from one ``reverse()`` per feed, not per event.

    Until the page's route exists the documented public address (``fallback``) is used.
    """
    try:
        path = reverse(name, kwargs={kwarg: sentinel})
    except NoReverseMatch:
        path = fallback.replace("{}", sentinel)
    prefix, _sep, suffix = path.partition(sentinel)
    return settings.SITE_URL + prefix, suffix


class _Writer:
    """Collects VEVENT lines and, per TZID, the local years the VTIMEZONE must cover."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.years: dict[str, list[int]] = {}
        self.written: set[tuple[str, dt.datetime | None]] = set()
        self.zones: dict[str, dt.tzinfo | None] = {}
        self.countries: dict[str, str] = {}
        self.event_url = _url_parts("event-detail", "pk", _SENTINEL_PK, "/events/{}/")
        self.organisation_url = _url_parts("organisation-detail", "slug", _SENTINEL_SLUG, "/organisations/{}/")
        self.organised_by = _("Organised by %(name)s")
        self.online = _("Online: %(url)s")

    def zone(self, tzid: str) -> dt.tzinfo | None:
        """The ZoneInfo for a TZID, or None for UTC (and for a name tzdata does not know)."""
        try:
            return self.zones[tzid]
        except KeyError:
            pass
        zone = None
        if not is_utc_zone(tzid):
            try:
                zone = zoneinfo.ZoneInfo(tzid)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                logger.warning("unknown time zone %r written as UTC", tzid)
        self.zones[tzid] = zone
        return zone

    def country_name(self, event: Event) -> str:
        """The country's name in LANGUAGE_CODE, looked up once per code (it goes through gettext)."""
        code = str(event.country or "")
        if code not in self.countries:
            self.countries[code] = event.country.name if code else ""
        return self.countries[code]

    def cover(self, tzid: str, first: dt.datetime, last: dt.datetime) -> None:
        span = self.years.get(tzid)
        if span is None:
            self.years[tzid] = [first.year, last.year]
        else:
            span[0] = min(span[0], first.year)
            span[1] = max(span[1], last.year)

    def when(self, name: str, instant: dt.datetime, tzid: str, *, all_day: bool, utc_if_ambiguous: bool = False) -> str:
        """DTSTART/DTEND/RDATE/EXDATE/RECURRENCE-ID for one instant, in the event's own terms."""
        zone = self.zone(tzid)
        if all_day:
            return f"{name};VALUE=DATE:{_date(instant.astimezone(zone or dt.UTC).date())}"
        if zone is None:
            return f"{name}:{_stamp(instant)}"
        local = instant.astimezone(zone)
        if utc_if_ambiguous and _is_ambiguous(local):
            return f"{name}:{_stamp(instant)}"  # a repeated hour: parsers disagree on which one
        self.cover(tzid, local, local)
        return f"{name};TZID={tzid}:{_local(local)}"

    def write_event(self, event: Event, master: Event | None = None) -> None:
        series = master or event
        uid = exported_uid(event.uid, organiser_id=series.organiser_id)
        key = (uid, event.recurrence_id)
        if key in self.written:
            return
        self.written.add(key)
        out = self.lines
        tzid = event.timezone
        zone = self.zone(tzid)
        all_day = event.all_day
        recurring = bool(event.rrule or event.rdates) and event.recurrence_id is None
        out.append("BEGIN:VEVENT")
        out.append(fold_line(f"UID:{_text(uid)}"))
        stamp = _stamp(event.updated)
        out.append(f"DTSTAMP:{stamp}")
        if all_day:
            start = event.start.astimezone(zone or dt.UTC)
            end = event.end.astimezone(zone or dt.UTC)
            end_date = end.date() if end.time() == dt.time(0) else end.date() + dt.timedelta(days=1)
            end_date = max(end_date, start.date() + dt.timedelta(days=1))
            out.append(f"DTSTART;VALUE=DATE:{_date(start.date())}")
            out.append(f"DTEND;VALUE=DATE:{_date(end_date)}")
        else:
            out.append(self.when("DTSTART", event.start, tzid, all_day=False, utc_if_ambiguous=not recurring))
            out.append(self.when("DTEND", event.end, tzid, all_day=False, utc_if_ambiguous=not recurring))
            if zone is not None and recurring:
                last = event.series_end or (event.end + dt.timedelta(days=366))
                self.cover(tzid, event.start.astimezone(zone), last.astimezone(zone))
        if event.recurrence_id is not None:
            out.append(self.when("RECURRENCE-ID", event.recurrence_id, series.timezone, all_day=series.all_day))
        elif recurring:
            off_rule = starts_off_rule(event)
            if event.rrule:
                rule = _rrule(rule_bounded_by_until(event) if off_rule else event.rrule, all_day, tzid)
                if rule:
                    out.append(fold_line(f"RRULE:{rule}"))
            if off_rule:  # DTSTART is the first instance for every reader, not only for some
                out.append(self.when("RDATE", event.start, tzid, all_day=all_day))
            for name, values in (("RDATE", event.rdates), ("EXDATE", event.exdates)):
                for instant in _instants(values, zone or dt.UTC):
                    out.append(self.when(name, instant, tzid, all_day=all_day))
        out.append(f"SEQUENCE:{event.sequence}")
        out.append(f"STATUS:{_STATUS.get(event.status, 'CONFIRMED')}")
        out.append(fold_line(f"SUMMARY:{_text(event.title)}"))
        prefix, suffix = self.event_url
        page = f"{prefix}{event.series_id or event.pk}{suffix}"
        organiser_name = getattr(event, "feed_organiser_name", None)
        if organiser_name is None:  # not from event_queryset_for_feed: one query per event
            organiser_name, organiser_slug = event.organiser.name, event.organiser.slug
        else:
            organiser_slug = event.feed_organiser_slug
        paragraphs = [event.description_text]  # stored with the sanitised HTML, on write
        if event.online_url:
            paragraphs.append(self.online % {"url": event.online_url})
        paragraphs += [self.organised_by % {"name": organiser_name}, page]
        description = "\n".join(p for p in paragraphs if p)
        out.append(fold_line(f"DESCRIPTION:{_text(description)}"))
        place = [event.room, event.venue, event.address, event.city, self.country_name(event)]
        location = ", ".join(p for p in place if p) or event.online_url
        if location:
            out.append(fold_line(f"LOCATION:{_text(location)}"))
        if event.latitude is not None and event.longitude is not None:
            out.append(f"GEO:{vGeo((float(event.latitude), float(event.longitude))).to_ical()}")
        out.append(fold_line(f"URL;VALUE=URI:{page}"))
        org_page = f"{self.organisation_url[0]}{organiser_slug}{self.organisation_url[1]}"
        out.append(fold_line(f'CONTACT;ALTREP="{org_page}":{_text(organiser_name)}'))
        themes = [theme.name for theme in event.themes.all()]
        if themes:
            out.append(fold_line(f"CATEGORIES:{vCategory(themes).to_ical().decode()}"))
        parent_uid = None
        if hasattr(event, "feed_parent_uid"):
            if event.feed_parent_uid is not None:
                parent_uid = exported_uid(event.feed_parent_uid, organiser_id=event.feed_parent_organiser_id)
        elif event.parent_id:
            parent = event.parent
            parent_uid = exported_uid(parent.uid, organiser_id=parent.organiser_id)
        if parent_uid:
            out.append(fold_line(f"RELATED-TO;RELTYPE=PARENT:{_text(parent_uid)}"))
        if event.kind == EventKind.SESSION:  # its live chat, and the transcript once it is over
            out.append(fold_line(f"ATTACH;FMTTYPE=text/html:{page}#chat"))
        out.append(f"CREATED:{_stamp(event.created)}")
        out.append(f"LAST-MODIFIED:{stamp}")
        out.append("END:VEVENT")
        for override in getattr(event, "prefetched_overrides", ()):
            self.write_event(override, master=event)
