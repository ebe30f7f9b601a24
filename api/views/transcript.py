"""`/api/v1/events/<id>/transcript/`: what was said in an event's chat room, page by page.

Four queries whatever the page size: the event, its room, the page, the summary counts.
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import KeysetPagination
from api.problems import problem_responses
from api.serializers.transcript import TranscriptMessageSerializer, TranscriptSummarySerializer
from api.views import PAGINATION_PARAMS, reject_unknown_parameters
from events.chat.rooms import chat_events
from events.chat.transcript import transcript_messages, transcript_summary
from events.models import ChatRoom


class TranscriptPagination(KeysetPagination):
    ordering = ("created", "id")
    page_size = 100


@extend_schema(
    summary="An event's chat transcript",
    description="The messages and questions members left public, oldest first, with a summary. "
    "Moderators' deletions and messages their authors hid are not included.",
    parameters=[
        OpenApiParameter("id", int, OpenApiParameter.PATH, description="The event's (session's) id."),
        OpenApiParameter("cursor", str, description=str(TranscriptPagination.cursor_query_description)),
        OpenApiParameter("page_size", int, description="Messages per page: 100 unless given, at most 100."),
    ],
    responses={
        200: inline_serializer(
            "TranscriptPage",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "summary": TranscriptSummarySerializer(),
                "results": TranscriptMessageSerializer(many=True),
            },
        ),
        **problem_responses(400, 404),
    },
)
@api_view(["GET"])
@permission_classes([AllowAny])
def event_transcript(request: Request, pk: int) -> Response:
    reject_unknown_parameters(request, PAGINATION_PARAMS)
    room = ChatRoom.objects.filter(event__in=chat_events().filter(pk=pk)).first()
    if room is None:
        raise NotFound(_("No public event with a chat room has id %(id)s.") % {"id": pk})
    paginator = TranscriptPagination()
    page = paginator.paginate_queryset(transcript_messages(room=room), request)
    response = paginator.get_paginated_response(TranscriptMessageSerializer(page, many=True).data)
    response.data["summary"] = asdict(transcript_summary(room=room))
    return response
