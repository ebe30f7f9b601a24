"""Serializers for the read API, one module per entity.

The serializers declare their fields for two readers: drf-spectacular, which turns
them into the OpenAPI schema, and the tests, which check that every answer carries
exactly the declared fields. The rows themselves are written by ``to_representation``
as plain dicts: DRF's per-field machinery costs several times the whole request on a
page of 50 events, and the list must stay within 2x of a bare ``JsonResponse``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from django.core.files.storage import default_storage
from django.urls import reverse

_PK_SENTINEL = 918273645546372819
_SLUG_SENTINEL = "zz-sentinel-zz"


class Links:
    """Absolute URLs of pages and feeds for one request.

    Each route is reversed once per request (around a sentinel value) rather than
    once per row, so a page of 100 rows costs 3 reversals, not 300.
    """

    def __init__(self, request) -> None:
        self.origin = request.build_absolute_uri("/")[:-1]
        self._templates: dict[str, tuple[str, str]] = {}

    def _url(self, name: str, key: str, value) -> str:
        template = self._templates.get(name)
        if template is None:
            sentinel = _PK_SENTINEL if key == "pk" else _SLUG_SENTINEL
            before, after = reverse(name, kwargs={key: sentinel}).split(str(sentinel))
            template = self._templates[name] = (self.origin + before, after)
        return f"{template[0]}{value}{template[1]}"

    def event_page(self, pk: int) -> str:
        return self._url("event-detail", "pk", pk)

    def event_ics(self, pk: int) -> str:
        return self._url("event-ics", "pk", pk)

    def organisation_page(self, slug: str) -> str:
        return self._url("organisation-detail", "slug", slug)

    def organisation_calendar(self, slug: str) -> str:
        return self._url("organisation-calendar", "slug", slug)

    def member_page(self, slug: str) -> str:
        return self._url("member-detail", "slug", slug)

    def api_events_of(self, slug: str) -> str:
        base = self._templates.get("api-event-list")
        if base is None:
            base = self._templates["api-event-list"] = (self.origin + reverse("api-event-list"), "")
        return f"{base[0]}?organiser={slug}"

    def media(self, name: str) -> str | None:
        if not name:
            return None
        url = default_storage.url(name)
        return self.origin + url if url.startswith("/") else url


@cache
def zone_named(name: str) -> dt.tzinfo:
    """The IANA zone, or UTC for a name the tz database does not know (rows from old imports)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_iso(instant: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant is not None else None
