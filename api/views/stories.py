"""`/api/v1/stories/` and `/api/v1/projects/`: the published practice stories and EU project records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.pagination import KeysetPagination, StrictPageSize
from api.problems import problem_responses
from api.serializers import Links
from api.serializers.stories import ProjectSerializer, StoryDetailSerializer, StorySerializer
from api.views import PAGINATION_PARAMS, reject_unknown_parameters
from community.models import Project
from community.story_index import (
    FACETS,
    STORIES_PER_PAGE,
    StoryFilterError,
    filter_stories,
    parse_story_filters,
    published_stories,
    story_cards,
)

STORY_PARAMS = (*FACETS, "q", "sort", "page", "page_size")


class StoryPagination(StrictPageSize, PageNumberPagination):
    """Page numbers, as on /stories/: the list is sorted by relevance or date, not by a unique key."""

    page_size = STORIES_PER_PAGE

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or "1"
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page": [_("Enter a whole number from 1.")]})
        return raw


class ProjectPagination(KeysetPagination):
    ordering = ("slug", "id")


FILTER_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=description)
    for name, description in (
        ("sector", "Sector slug."),
        ("theme", "Theme slug."),
        ("country", "ISO 3166 code of a country the practice took place in."),
        ("language", "Locale of the story: en, es or sl."),
        ("organisation", "Organisation slug."),
        ("project", "EU project slug."),
        ("q", "Full-text search."),
        ("sort", "newest (default) or discussed."),
    )
]


@extend_schema_view(
    list=extend_schema(
        summary="List published stories",
        description="Same filters as /stories/; an unknown value is a 400 naming the parameter; "
        "a page past the last one is a 404.",
        parameters=FILTER_PARAMETERS,
        responses={200: StorySerializer(many=True), **problem_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="One story",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: StoryDetailSerializer, **problem_responses(404)},
    ),
)
class StoryViewSet(GenericViewSet):
    lookup_value_converter = "id"  # community/url_converters.py: bounded database ids
    serializer_class = StorySerializer
    pagination_class = StoryPagination
    permission_classes = [AllowAny]

    def get_queryset(self):
        return published_stories()

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "links": Links(self.request)}

    def list(self, request: Request) -> Response:
        reject_unknown_parameters(request, STORY_PARAMS)
        try:
            filters = parse_story_filters(params=request.query_params)
        except StoryFilterError as exc:
            raise ValidationError({name: [message] for name, message in exc.errors.items()}) from exc
        rows = self.paginate_queryset(story_cards(stories=filter_stories(filters=filters)))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        reject_unknown_parameters(request, ())
        story = (
            story_cards(stories=published_stories())
            .select_related("discussion")
            .prefetch_related("sectors", "countries", "organisations")
            .filter(pk=pk)
            .first()
            if str(pk).isdigit()
            else None
        )
        if story is None:
            raise NotFound(_("No published story with id %(id)s.") % {"id": pk})
        return Response(StoryDetailSerializer(story, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="List EU project records",
        description="In order of slug; status is derived from the dates.",
        responses={200: ProjectSerializer(many=True), **problem_responses(400)},
    ),
    retrieve=extend_schema(summary="One project", responses={200: ProjectSerializer, **problem_responses(404)}),
)
class ProjectViewSet(GenericViewSet):
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    pagination_class = ProjectPagination
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    lookup_value_converter = "slug"

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "links": Links(self.request)}

    def list(self, request: Request) -> Response:
        reject_unknown_parameters(request, PAGINATION_PARAMS)
        rows = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        reject_unknown_parameters(request, ())
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise NotFound(_("No project “%(slug)s”.") % {"slug": slug})
        return Response(self.get_serializer(project).data)
