"""What an event page shows besides its fields: calendar links and schema.org data."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from community.sanitise import html_to_text
from events.models import Event, EventKind, EventStatus

_STATUS = {
    EventStatus.CONFIRMED: "https://schema.org/EventScheduled",
    EventStatus.TENTATIVE: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
_MODE = {
    "offline": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}


def location_text(event: Event) -> str:
    parts = [event.room, event.venue, event.address, event.city, event.country.name if event.country else ""]
    return ", ".join(p for p in parts if p)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def add_to_calendar_links(event: Event, request: HttpRequest) -> dict[str, str]:
    page = request.build_absolute_uri(event.get_absolute_url())
    details = (html_to_text(event.description)[:1500] + f"\n\n{page}").strip()
    if event.all_day:
        zone = event.zone
        first = event.start.astimezone(zone).date()
        after = event.end.astimezone(zone).date()
        google_dates = f"{first:%Y%m%d}/{after:%Y%m%d}"
        outlook_start, outlook_end = first.isoformat(), after.isoformat()
    else:
        google_dates = f"{_utc(event.start)}/{_utc(event.end)}"
        outlook_start = event.start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        outlook_end = event.end.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": google_dates,
            "details": details,
            "location": location_text(event) or event.online_url,
            "ctz": event.timezone,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/action/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": outlook_start,
            "enddt": outlook_end,
            "body": details,
            "location": location_text(event) or event.online_url,
            "allday": "true" if event.all_day else "false",
        }
    )
    ics = reverse("event-ics", kwargs={"pk": event.pk})
    organiser_feed = reverse("organisation-calendar", kwargs={"slug": event.organiser.slug})
    host = request.get_host()
    return {
        "ics": ics,
        "google": google,
        "outlook": outlook,
        "organiser_feed": organiser_feed,
        "organiser_webcal": f"webcal://{host}{organiser_feed}",
        "map": (
            f"https://www.openstreetmap.org/?mlat={event.latitude}&mlon={event.longitude}#map=16/"
            f"{event.latitude}/{event.longitude}"
            if event.latitude is not None and event.longitude is not None
            else ("https://www.openstreetmap.org/search?" + urlencode({"query": location_text(event)}))
            if event.city or event.address
            else ""
        ),
    }


def event_json_ld(event: Event, request: HttpRequest) -> dict:
    """schema.org Event for search engines; times with offsets, status and attendance mode."""
    locations = []
    if event.is_in_person and (event.venue or event.city):
        place = {
            "@type": "Place",
            "name": event.venue or event.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.address,
                "addressLocality": event.city,
                "addressCountry": event.country.code if event.country else "",
            },
        }
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.latitude),
                "longitude": float(event.longitude),
            }
        locations.append(place)
    if event.is_online and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    organiser = event.organiser
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": html_to_text(event.description)[:5000],
        "startDate": (event.start.astimezone(event.zone).date() if event.all_day else event.local_start).isoformat(),
        "endDate": (
            (event.end.astimezone(event.zone) - dt.timedelta(days=1)).date() if event.all_day else event.local_end
        ).isoformat(),
        "eventStatus": _STATUS.get(event.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": _MODE[event.attendance_mode],
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "organizer": {
            "@type": "Organization",
            "name": organiser.name,
            "url": organiser.website or request.build_absolute_uri(organiser.get_absolute_url()),
        },
    }
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.language_id:
        data["inLanguage"] = event.language.code
    if event.parent_id:
        data["superEvent"] = {
            "@type": "Event",
            "name": event.parent.title,
            "url": request.build_absolute_uri(event.parent.get_absolute_url()),
        }
    if event.kind == EventKind.SESSION:  # the live chat, and its transcript after the session
        data["subjectOf"] = {
            "@type": "Conversation",
            "name": _("Session chat and transcript"),
            "url": request.build_absolute_uri(event.get_absolute_url()) + "#chat",
        }
    return data
