"""Events, conferences and their sessions.

Times are ISO 8601 in the event's own time zone (``2027-09-14T09:30:00+02:00``) with
the zone's IANA name in ``timezone``; an all-day event runs from local midnight of its
first day to local midnight after its last (``end`` is exclusive, as in iCalendar).
"""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from api.serializers import Links, local_iso, zone_named
from api.serializers.organisations import OrganisationRefSerializer
from events.models import AttendanceMode, Event, EventKind, EventStatus, Speaker
from events.recurrence import Occurrence


class ConferenceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)


class LocationSerializer(serializers.Serializer):
    venue = serializers.CharField(read_only=True, allow_blank=True)
    address = serializers.CharField(read_only=True, allow_blank=True)
    city = serializers.CharField(read_only=True, allow_blank=True)
    country = serializers.CharField(read_only=True, allow_null=True, help_text="ISO 3166-1 alpha-2 code.")
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)


class RecurrenceSerializer(serializers.Serializer):
    rrule = serializers.CharField(
        read_only=True, allow_null=True, help_text="RFC 5545 RRULE value without the `RRULE:` prefix."
    )
    rdates = serializers.ListField(child=serializers.DateTimeField(), read_only=True, help_text="Extra occurrences.")
    exdates = serializers.ListField(child=serializers.DateTimeField(), read_only=True, help_text="Cancelled dates.")


class EventSerializer(serializers.Serializer):
    """An event or conference as it stands in a list: the series, not its occurrences.

    Represents a row dict (``ROW_VALUES`` plus "themes" and "sectors"), not an instance.
    """

    id = serializers.IntegerField(read_only=True)
    uid = serializers.CharField(read_only=True, help_text="iCalendar UID; stable for the life of the series.")
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_blank=True, help_text="Sanitised HTML.")
    start = serializers.DateTimeField(read_only=True, help_text="First occurrence's start, in `timezone`.")
    end = serializers.DateTimeField(read_only=True, help_text="First occurrence's end (exclusive), in `timezone`.")
    timezone = serializers.CharField(read_only=True, help_text="IANA time zone name, e.g. Europe/Madrid.")
    all_day = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    attendance_mode = serializers.ChoiceField(choices=AttendanceMode.choices, read_only=True)
    organiser = OrganisationRefSerializer(read_only=True)
    conference = ConferenceRefSerializer(read_only=True, allow_null=True, help_text="Set on conference sessions.")
    themes = serializers.ListField(child=serializers.SlugField(), read_only=True)
    sectors = serializers.ListField(child=serializers.SlugField(), read_only=True)
    language = serializers.CharField(read_only=True, allow_null=True, help_text="ISO 639-1 code.")
    location = LocationSerializer(read_only=True)
    online_url = serializers.URLField(read_only=True, allow_null=True)
    website = serializers.URLField(read_only=True, allow_null=True, help_text="The event's own web page.")
    image = serializers.URLField(read_only=True, allow_null=True)
    url = serializers.URLField(read_only=True, help_text="The event's page on Praxis.")
    ics_url = serializers.URLField(read_only=True, help_text="The event as an iCalendar file.")
    recurrence = RecurrenceSerializer(read_only=True, allow_null=True, help_text="Null for a one-off event.")
    sequence = serializers.IntegerField(read_only=True, help_text="iCalendar SEQUENCE; rises with every change.")
    updated = serializers.DateTimeField(read_only=True)

    def to_representation(self, row: dict) -> dict:
        return event_fields(row, self.context["links"])


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    affiliation = serializers.CharField(read_only=True, allow_blank=True)
    profile_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The speaker's member page, when the caller may see it."
    )


class SessionSerializer(serializers.Serializer):
    """A conference session; it has its own page, iCalendar file and chat room."""

    id = serializers.IntegerField(read_only=True)
    uid = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    abstract = serializers.CharField(read_only=True, allow_blank=True, help_text="Sanitised HTML.")
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    timezone = serializers.CharField(read_only=True)
    all_day = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    room = serializers.CharField(read_only=True, allow_blank=True)
    track = serializers.CharField(read_only=True, allow_blank=True)
    speakers = SpeakerSerializer(many=True, read_only=True)
    online_url = serializers.URLField(read_only=True, allow_null=True)
    url = serializers.URLField(read_only=True)
    ics_url = serializers.URLField(read_only=True)
    sequence = serializers.IntegerField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)


class ConferenceSerializer(EventSerializer):
    """A conference with its sessions in time order."""

    sessions = SessionSerializer(many=True, read_only=True)

    def to_representation(self, row: dict) -> dict:
        links = self.context["links"]
        data = event_fields(row, links)
        data["sessions"] = sessions_of(row["sessions"], links, self.context["request"])
        return data


class OccurrenceSerializer(serializers.Serializer):
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    recurrence_id = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="iCalendar RECURRENCE-ID (UTC); null for a one-off event."
    )
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    title = serializers.CharField(read_only=True, help_text="Differs from the series' when one occurrence is changed.")


class EventDetailSerializer(EventSerializer):
    """One event with its next occurrences and, for a conference, its sessions."""

    occurrences = OccurrenceSerializer(
        many=True, read_only=True, help_text="The next occurrences (at most a year ahead, at most 20)."
    )
    sessions = SessionSerializer(many=True, read_only=True, help_text="Empty unless `kind` is conference.")

    def to_representation(self, event: Event) -> dict:
        links = self.context["links"]
        data = event_fields(row_of(event), links)
        data["occurrences"] = [occurrence_fields(o) for o in self.context["occurrences"]]
        sessions = event.session_list if event.kind == EventKind.CONFERENCE else []
        data["sessions"] = sessions_of(sessions, links, self.context["request"])
        return data


# --- Rows as dicts ----------------------------------------------------------------
# A list row is a ``.values(*ROW_VALUES)`` dict plus "themes" and "sectors" (lists of
# slugs) that the view adds from one query each: model instances, select_related
# and Prefetch cost four times the rest of the request on a page of 50. A detail
# view's instance goes through ``row_of`` so both paths share ``event_fields``.

ROW_VALUES = (
    "id",
    "uid",
    "kind",
    "title",
    "description",
    "start",
    "end",
    "timezone",
    "all_day",
    "status",
    "attendance_mode",
    "venue",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "online_url",
    "url",
    "image",
    "rrule",
    "rdates",
    "exdates",
    "sequence",
    "updated",
    "parent_id",
    "parent__title",
    "organiser__slug",
    "organiser__name",
    "language__code",
)
_OWN_VALUES = tuple(name for name in ROW_VALUES if "__" not in name and name not in ("country", "image"))


def row_of(event: Event) -> dict:
    """An instance (with organiser, language, parent, theme_list and sector_list loaded) as a list row."""
    row = {name: getattr(event, name) for name in _OWN_VALUES}
    row["country"] = event.country.code
    row["image"] = event.image.name
    row["parent__title"] = event.parent.title if event.parent_id is not None else None
    row["organiser__slug"] = event.organiser.slug
    row["organiser__name"] = event.organiser.name
    row["language__code"] = event.language.code if event.language_id is not None else None
    row["themes"] = [theme.slug for theme in event.theme_list]
    row["sectors"] = [sector.slug for sector in event.sector_list]
    return row


def event_fields(row: dict, links: Links) -> dict:
    zone = zone_named(row["timezone"])
    pk = row["id"]
    parent_id = row["parent_id"]
    organiser = row["organiser__slug"]
    latitude, longitude = row["latitude"], row["longitude"]
    return {
        "id": pk,
        "uid": row["uid"],
        "kind": row["kind"],
        "title": row["title"],
        "description": row["description"],
        "start": row["start"].astimezone(zone).isoformat(),
        "end": row["end"].astimezone(zone).isoformat(),
        "timezone": row["timezone"],
        "all_day": row["all_day"],
        "status": row["status"],
        "attendance_mode": row["attendance_mode"],
        "organiser": {"slug": organiser, "name": row["organiser__name"], "url": links.organisation_page(organiser)},
        "conference": (
            {"id": parent_id, "title": row["parent__title"], "url": links.event_page(parent_id)}
            if parent_id is not None
            else None
        ),
        "themes": row["themes"],
        "sectors": row["sectors"],
        "language": row["language__code"],
        "location": {
            "venue": row["venue"],
            "address": row["address"],
            "city": row["city"],
            "country": row["country"] or None,
            "latitude": float(latitude) if latitude is not None else None,
            "longitude": float(longitude) if longitude is not None else None,
        },
        "online_url": row["online_url"] or None,
        "website": row["url"] or None,
        "image": links.media(row["image"]),
        "url": links.event_page(pk),
        "ics_url": links.event_ics(pk),
        "recurrence": recurrence_fields(row, zone),
        "sequence": row["sequence"],
        "updated": row["updated"].isoformat(),
    }


def recurrence_fields(row: dict, zone: dt.tzinfo) -> dict | None:
    if not (row["rrule"] or row["rdates"]):
        return None
    return {
        "rrule": row["rrule"] or None,
        "rdates": _instants(row["rdates"], zone),
        "exdates": _instants(row["exdates"], zone),
    }


def _instants(values: list, zone: dt.tzinfo) -> list[str]:
    """Stored RDATE/EXDATE values as ISO 8601 with offset; a naive value is wall time in the event's zone."""
    out = []
    for value in values or []:
        try:
            instant = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        out.append((instant.replace(tzinfo=zone) if instant.tzinfo is None else instant.astimezone(zone)).isoformat())
    return out


def occurrence_fields(occurrence: Occurrence) -> dict:
    zone = zone_named(occurrence.event.timezone)
    return {
        "start": occurrence.start.astimezone(zone).isoformat(),
        "end": occurrence.end.astimezone(zone).isoformat(),
        "recurrence_id": local_iso(occurrence.recurrence_id, dt.UTC),
        "status": occurrence.event.status,
        "title": occurrence.event.title,
    }


def sessions_of(sessions: list[Event], links: Links, request) -> list[dict]:
    """Sessions (with ``speaker_list`` loaded) as dicts."""
    return [session_fields(session, links, request.user) for session in sessions]


def session_fields(session: Event, links: Links, viewer) -> dict:
    zone = zone_named(session.timezone)
    pk = session.pk
    return {
        "id": pk,
        "uid": session.uid,
        "title": session.title,
        "abstract": session.description,
        "start": session.start.astimezone(zone).isoformat(),
        "end": session.end.astimezone(zone).isoformat(),
        "timezone": session.timezone,
        "all_day": session.all_day,
        "status": session.status,
        "room": session.room,
        "track": session.track,
        "speakers": [speaker_fields(s, links, viewer) for s in session.speaker_list],
        "online_url": session.online_url or None,
        "url": links.event_page(pk),
        "ics_url": links.event_ics(pk),
        "sequence": session.sequence,
        "updated": session.updated.isoformat(),
    }


def speaker_fields(speaker: Speaker, links: Links, viewer) -> dict:
    """Name and profile link as the caller may see them (``Speaker.shown_to``, as on the pages)."""
    name, url = speaker.shown_to(viewer)
    return {
        "name": name,
        "affiliation": speaker.affiliation,
        "profile_url": links.member_page(speaker.profile.slug) if url is not None else None,
    }
