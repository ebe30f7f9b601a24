"""`/api/v1/events/` and `/api/v1/conferences/`: the shared calendar, read-only.

Lists hold series rows (a recurring event once, with its rule), in order of first
start, filtered like the `/events/` page and limited to series that overlap a
window (by default from now on). A detail adds the next occurrences, expanded from
the rule with its overrides, and a conference's sessions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.pagination import EventPagination
from api.problems import problem_responses
from api.serializers import Links
from api.serializers.events import ROW_VALUES, ConferenceSerializer, EventDetailSerializer, EventSerializer
from api.views import PAGINATION_PARAMS, reject_unknown_parameters
from community.models import Sector, Theme
from community.url_converters import MAX_DATABASE_ID
from events.filters import FILTER_PARAMS, parse_event_filters
from events.listing import with_overrides
from events.models import Event, EventKind, Speaker
from events.recurrence import WINDOW_MAX_DAYS, expand

# in_window() needs an end; an open window ends here. Any stored start is earlier.
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
OCCURRENCES_SHOWN = 20

_CSV = "Comma-separated, or repeat the parameter; unknown values are a 400 naming this parameter."
KIND_PARAMETER = OpenApiParameter(
    "kind", str, enum=list(EventKind.values), description="Only this kind; `session` lists conference sessions."
)
FILTER_PARAMETERS = [
    OpenApiParameter("organiser", str, description=f"Organisation slugs. {_CSV}"),
    OpenApiParameter("theme", str, description=f"Theme slugs. {_CSV}"),
    OpenApiParameter("sector", str, description=f"Sector slugs. {_CSV}"),
    OpenApiParameter("country", str, description=f"ISO 3166-1 alpha-2 country codes, e.g. ES,SI. {_CSV}"),
    OpenApiParameter("language", str, description=f"ISO 639-1 language codes. {_CSV}"),
    OpenApiParameter(
        "mode", str, enum=["online", "in_person"], description="Online (or mixed) / in person (or mixed)."
    ),
    OpenApiParameter("q", str, description="Words in the title, description or city."),
    OpenApiParameter(
        "start",
        str,
        description="Window start: a date (YYYY-MM-DD) or ISO 8601 date-time (UTC if no offset). Default: now. "
        "A recurring series is listed when any part of it falls in the window, even if it began earlier.",
    ),
    OpenApiParameter("end", str, description="Window end (exclusive), as `start`. Default: no end."),
]

ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_DATABASE_ID},
    OpenApiParameter.PATH,
    description="The event's id.",
)


def _themes_and_sectors() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch("themes", queryset=Theme.objects.only("id", "slug").order_by("slug"), to_attr="theme_list"),
        Prefetch("sectors", queryset=Sector.objects.only("id", "slug").order_by("slug"), to_attr="sector_list"),
    )


def event_detail_rows(qs: QuerySet) -> QuerySet:
    """Instances for a detail: organiser, language, conference, themes, sectors, overrides, sessions."""
    speakers = Speaker.objects.select_related("profile__user").order_by("position", "id")
    sessions = session_rows().prefetch_related(Prefetch("speakers", queryset=speakers, to_attr="speaker_list"))
    return with_overrides(
        qs.select_related("organiser", "language", "parent").prefetch_related(
            *_themes_and_sectors(), Prefetch("sessions", queryset=sessions, to_attr="session_list")
        )
    )


def session_rows() -> QuerySet:
    return Event.objects.listed().filter(kind=EventKind.SESSION).order_by("start", "id")


def add_themes_and_sectors(rows: list[dict]) -> None:
    """Each row's theme and sector slugs, in one query each whatever the number of rows."""
    ids = [row["id"] for row in rows]
    for key, through, slug in (
        ("themes", Event.themes.through, "theme__slug"),
        ("sectors", Event.sectors.through, "sector__slug"),
    ):
        found: dict[int, list[str]] = defaultdict(list)
        if ids:
            for event_id, value in through.objects.filter(event_id__in=ids).values_list("event_id", slug):
                found[event_id].append(value)
        for row in rows:
            row[key] = sorted(found.get(row["id"], ()))


def add_sessions(rows: list[dict]) -> None:
    """Each conference row's sessions with their speakers, in two queries whatever the number of rows."""
    found: dict[int, list[Event]] = defaultdict(list)
    if rows:
        speakers = Speaker.objects.select_related("profile__user").order_by("position", "id")
        sessions = session_rows().filter(parent_id__in=[row["id"] for row in rows])
        for session in sessions.prefetch_related(Prefetch("speakers", queryset=speakers, to_attr="speaker_list")):
            found[session.parent_id].append(session)
    for row in rows:
        row["sessions"] = found.get(row["id"], [])


def windowed(request: Request, qs: QuerySet, *, also: Iterable[str] = ()) -> QuerySet:
    """The page's filters and the start/end window; raises FilterError (a 400 problem) on bad values."""
    reject_unknown_parameters(request, {*FILTER_PARAMS, *PAGINATION_PARAMS, *also})
    filters = parse_event_filters(request.query_params)
    return filters.apply(qs).in_window(filters.start or timezone.now(), filters.end or FAR_FUTURE)


class _EventViewSetBase(GenericViewSet):
    permission_classes = [AllowAny]
    pagination_class = EventPagination
    lookup_value_converter = "id"  # community/url_converters.py: digits within the database's id range
    list_serializer_class = EventSerializer
    not_found_message = _("No event with id %(id)s.")

    in_lists = Q()  # what a list holds, of what a detail can show
    list_params: tuple[str, ...] = ()  # the list's own parameters beside the shared filters

    def get_queryset(self) -> QuerySet:
        qs = self.queryset.all()
        return event_detail_rows(qs) if self.action == "retrieve" else qs.filter(self.in_lists)

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else self.list_serializer_class

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "links": Links(self.request)}

    def get_object(self) -> Event:
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(self.not_found_message % {"id": self.kwargs[self.lookup_field]}) from exc

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(windowed(request, self.get_queryset(), also=self.list_params).values(*ROW_VALUES))
        add_themes_and_sectors(rows)
        self.add_to_rows(rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def add_to_rows(self, rows: list[dict]) -> None:
        """Hook for what a subclass's list rows carry beyond the event's own fields."""

    def retrieve(self, request: Request, pk: str) -> Response:
        reject_unknown_parameters(request, set())
        event = self.get_object()
        now = timezone.now()
        occurrences = expand(event, now, now + dt.timedelta(days=WINDOW_MAX_DAYS), cap=OCCURRENCES_SHOWN)
        context = {**self.get_serializer_context(), "occurrences": occurrences}
        return Response(EventDetailSerializer(event, context=context).data)


@extend_schema_view(
    list=extend_schema(
        summary="List events and conferences (or, with kind=session, sessions)",
        description="Series in order of first start: a recurring event appears once, with its `recurrence`. "
        "Conference sessions are listed under their conference (`/api/v1/conferences/`), and here with "
        "`kind=session` (each with its `conference`; a session's id is its chat room's, `/ws/chat/<id>/`).",
        parameters=[*FILTER_PARAMETERS, KIND_PARAMETER],
        responses={200: EventSerializer(many=True), **problem_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One event, conference or session",
        description="With its next occurrences and, for a conference, its sessions.",
        parameters=[ID_PARAMETER],
        responses={200: EventDetailSerializer, **problem_responses(400, 404)},
    ),
)
class EventViewSet(_EventViewSetBase):
    queryset = Event.objects.listed()
    in_lists = Q(parent__isnull=True)  # sessions are listed with their conference
    list_params = ("kind",)

    def get_queryset(self) -> QuerySet:
        kind = self.request.query_params.get("kind") if self.action == "list" else None
        if not kind:
            return super().get_queryset()
        if kind not in EventKind.values:
            known = ", ".join(EventKind.values)
            raise ValidationError(
                {"kind": [_("Unknown kind: %(kind)s (known: %(known)s).") % {"kind": kind[:40], "known": known}]}
            )
        return self.queryset.filter(kind=kind)


@extend_schema_view(
    list=extend_schema(
        summary="List conferences with their sessions",
        parameters=FILTER_PARAMETERS,
        responses={200: ConferenceSerializer(many=True), **problem_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One conference with its sessions",
        parameters=[ID_PARAMETER],
        responses={200: EventDetailSerializer, **problem_responses(400, 404)},
    ),
)
class ConferenceViewSet(_EventViewSetBase):
    queryset = Event.objects.listed().filter(kind=EventKind.CONFERENCE)
    list_serializer_class = ConferenceSerializer
    not_found_message = _("No conference with id %(id)s.")

    def add_to_rows(self, rows: list[dict]) -> None:
        add_sessions(rows)
