"""``/api/v1/partner/…``: an organisation publishes events and manages its feeds with its API key.

Every object is looked up within the key's organisation, so another organisation's
event or feed answers 404 on every method, exactly like one that does not exist.
UIDs travel percent-encoded in the path; any character but nothing is refused
(``@``, ``.``, ``/`` as ``%2F``, spaces), since real calendar UIDs contain all of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from api.auth import ApiKeyAuthentication
from api.permissions import IsPartner, PartnerKeyThrottle
from api.problems import problem_responses
from api.serializers.partner import (
    BulkResultSerializer,
    FeedSerializer,
    ImportRunSerializer,
    PartnerEventInputSerializer,
    PartnerEventPatchSerializer,
    PartnerEventSerializer,
)
from events.federation.feeds import delete_feed, feeds_of, request_refresh, save_feed
from events.federation.fields import incoming_from_fields
from events.federation.uploads import queue_upload
from events.federation.upsert import StaleVersionError, remove_event, upsert_one
from events.models import Event, ImportRun, Origin

BULK_MAX = 500
RUNS_SHOWN = 50


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with the stored version.")


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The calendar is too large.")


class CalendarParser(BaseParser):
    """``text/calendar`` bodies as bytes, read up to FEED_MAX_BYTES (413 past it)."""

    media_type = "text/calendar"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        limit = settings.FEED_MAX_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(_("The calendar is larger than %(mb)s MB.") % {"mb": f"{limit / 1_000_000:g}"})
        return body


class PartnerAPIView:
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsPartner]
    throttle_classes = [PartnerKeyThrottle]


def _organisation(request: Request):
    return request.user.organisation


def _live_event(request: Request, uid: str) -> Event:
    return get_object_or_404(
        Event, organiser=_organisation(request), uid=uid, recurrence_id__isnull=True, removed_at__isnull=True
    )


def _write(request: Request, data: dict) -> tuple[Event, bool]:
    """Validate ``data`` as one event and store it; raises ValidationError / Conflict."""
    sequence_given = "sequence" in data and data["sequence"] is not None
    fields = {k: v for k, v in data.items() if k != "sequence"}
    try:
        incoming = incoming_from_fields(**fields, sequence=data.get("sequence") or 0)
        return upsert_one(organisation=_organisation(request), incoming=incoming, sequence_given=sequence_given)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    except StaleVersionError as exc:
        raise Conflict(str(exc)) from exc


UID_PARAMETER = OpenApiParameter(
    "uid", str, OpenApiParameter.PATH, description="The event's UID, percent-encoded (`/` as `%2F`)."
)
ERRORS = problem_responses(400, 401, 404, 409, 429)


@extend_schema_view(
    list=extend_schema(
        summary="Your organisation's events",
        responses={200: PartnerEventSerializer(many=True), **problem_responses(401, 429)},
    ),
    create=extend_schema(
        summary="Create or update an event by UID",
        request=PartnerEventInputSerializer,
        responses={201: PartnerEventSerializer, 200: PartnerEventSerializer, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One event by UID", parameters=[UID_PARAMETER], responses={200: PartnerEventSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        summary="Change some fields of an event",
        parameters=[UID_PARAMETER],
        request=PartnerEventPatchSerializer,
        responses={200: PartnerEventSerializer, **ERRORS},
    ),
    destroy=extend_schema(
        summary="Remove an event (kept hidden, with its history)",
        parameters=[UID_PARAMETER],
        responses={204: None, **problem_responses(401, 404, 429)},
    ),
)
class PartnerEventViewSet(PartnerAPIView, ViewSet):
    lookup_field = "uid"
    lookup_value_regex = ".+"
    lookup_value_converter = "path"  # a UID may hold "/", "@" and spaces (percent-encoded in the URL)
    parser_classes = [JSONParser]

    def list(self, request: Request) -> Response:
        events = Event.objects.filter(
            organiser=_organisation(request), recurrence_id__isnull=True, removed_at__isnull=True
        )
        events = events.order_by("start", "pk")[:1000]
        return Response(PartnerEventSerializer(events, many=True, context={"request": request}).data)

    def create(self, request: Request) -> Response:
        serializer = PartnerEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event, created = _write(request, dict(serializer.validated_data))
        body = PartnerEventSerializer(event, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def retrieve(self, request: Request, uid: str) -> Response:
        return Response(PartnerEventSerializer(_live_event(request, uid), context={"request": request}).data)

    def partial_update(self, request: Request, uid: str) -> Response:
        event = _live_event(request, uid)
        serializer = PartnerEventPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        current = {
            "uid": event.uid,
            "title": event.title,
            "description": event.description,
            "start": event.start,
            "end": event.end,
            "timezone": event.timezone,
            "all_day": event.all_day,
            "status": event.status,
            "url": event.url,
            "venue": event.venue,
            "online_url": event.online_url,
            "rrule": event.rrule,
        }
        event, _created = _write(request, {**current, **serializer.validated_data})
        return Response(PartnerEventSerializer(event, context={"request": request}).data)

    def destroy(self, request: Request, uid: str) -> Response:
        remove_event(event=_live_event(request, uid))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Create or update many events; each item answers on its own",
        request=PartnerEventInputSerializer(many=True),
        responses={200: BulkResultSerializer, **problem_responses(400, 401, 429)},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        items = request.data
        if not isinstance(items, list):
            raise ValidationError({"body": [_("Send a JSON list of events.")]})
        if len(items) > BULK_MAX:
            raise ValidationError({"body": [_("At most %(n)s events per request.") % {"n": BULK_MAX}]})
        results = []
        for index, item in enumerate(items):
            uid = item.get("uid", "") if isinstance(item, dict) else ""
            serializer = PartnerEventInputSerializer(data=item)
            try:
                serializer.is_valid(raise_exception=True)
                with transaction.atomic():
                    event, created = _write(request, dict(serializer.validated_data))
            except ValidationError as exc:
                results.append({"index": index, "status": 400, "uid": str(uid), "errors": exc.detail})
                continue
            except Conflict as exc:
                results.append(
                    {"index": index, "status": 409, "uid": str(uid), "errors": {"sequence": [str(exc.detail)]}}
                )
                continue
            event_data = PartnerEventSerializer(event, context={"request": request}).data
            results.append({"index": index, "status": 201 if created else 200, "uid": event.uid, "event": event_data})
        return Response({"results": results})


class PartnerCalendarUploadView(PartnerAPIView, APIView):
    parser_classes = [CalendarParser]

    @extend_schema(
        summary="Upload an iCalendar file for the import path; answers its run, which the worker fills in",
        description=(
            "The body is stored and imported by the task worker, never in the web request. The answer "
            "is the run (outcome `queued` until the worker has done it; a fast worker may already have "
            "finished) with `Location` naming `/api/v1/partner/runs/<id>/`, where its report appears."
        ),
        request={"text/calendar": OpenApiTypes.BINARY},
        responses={202: ImportRunSerializer, **problem_responses(400, 401, 413, 415, 429)},
    )
    def post(self, request: Request) -> Response:
        body = request.data
        if not isinstance(body, bytes) or not body:
            raise ValidationError(
                {"body": [_("Send the calendar as the request body with Content-Type text/calendar.")]}
            )
        try:
            run = queue_upload(organisation=_organisation(request), body=body, origin=Origin.API)
        except DjangoValidationError as exc:
            raise ValidationError({"body": exc.messages}) from exc
        run.refresh_from_db()
        location = reverse("api-partner-run", kwargs={"pk": run.pk})
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class PartnerRunView(PartnerAPIView, APIView):
    @extend_schema(
        summary="One import run of your organisation (an upload's or a feed's) and its report",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The run's id.")],
        responses={200: ImportRunSerializer, **problem_responses(401, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(ImportRun, pk=pk, organisation=_organisation(request))
        return Response(ImportRunSerializer(run).data)


FEED_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The feed's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Your organisation's feeds", responses={200: FeedSerializer(many=True), **problem_responses(401, 429)}
    ),
    create=extend_schema(
        summary="Add a feed",
        request=FeedSerializer,
        responses={201: FeedSerializer, **problem_responses(400, 401, 429)},
    ),
    retrieve=extend_schema(
        summary="One feed and its state",
        parameters=[FEED_ID],
        responses={200: FeedSerializer, **problem_responses(401, 404, 429)},
    ),
    partial_update=extend_schema(
        summary="Change a feed",
        parameters=[FEED_ID],
        request=FeedSerializer,
        responses={200: FeedSerializer, **problem_responses(400, 401, 404, 429)},
    ),
    destroy=extend_schema(
        summary="Remove a feed (its events stay)",
        parameters=[FEED_ID],
        responses={204: None, **problem_responses(401, 404, 429)},
    ),
)
class PartnerFeedViewSet(PartnerAPIView, ViewSet):
    lookup_value_regex = "[0-9]+"
    lookup_value_converter = "id"
    parser_classes = [JSONParser]

    def _feed(self, request: Request, pk: str):
        return get_object_or_404(feeds_of(_organisation(request)), pk=int(pk))

    def _save(self, request: Request, serializer: FeedSerializer, feed=None):
        serializer.is_valid(raise_exception=True)
        try:
            return save_feed(organisation=_organisation(request), feed=feed, values=serializer.feed_values())
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc

    def list(self, request: Request) -> Response:
        return Response(FeedSerializer(feeds_of(_organisation(request)), many=True).data)

    def create(self, request: Request) -> Response:
        feed = self._save(request, FeedSerializer(data=request.data))
        request_refresh(feed=feed)
        return Response(FeedSerializer(feed).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(FeedSerializer(self._feed(request, pk)).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        feed = self._feed(request, pk)
        feed = self._save(request, FeedSerializer(feed, data=request.data, partial=True), feed)
        return Response(FeedSerializer(feed).data)

    def destroy(self, request: Request, pk: str) -> Response:
        delete_feed(feed=self._feed(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Fetch the feed now",
        parameters=[FEED_ID],
        request=None,
        responses={202: FeedSerializer, **problem_responses(401, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request: Request, pk: str) -> Response:
        feed = self._feed(request, pk)
        request_refresh(feed=feed)
        return Response(FeedSerializer(feed).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The feed's latest import runs",
        parameters=[FEED_ID],
        responses={200: ImportRunSerializer(many=True), **problem_responses(401, 404, 429)},
    )
    @action(detail=True, methods=["get"])
    def runs(self, request: Request, pk: str) -> Response:
        feed = self._feed(request, pk)
        return Response(ImportRunSerializer(feed.runs.all()[:RUNS_SHOWN], many=True).data)
