"""`/api/v1/organisations/`: the partner organisations, by slug."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.pagination import OrganisationPagination
from api.problems import problem_responses
from api.serializers import Links
from api.serializers.organisations import OrganisationSerializer
from api.views import PAGINATION_PARAMS, reject_unknown_parameters
from community.models import Organisation


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description="In order of name.",
        responses={200: OrganisationSerializer(many=True), **problem_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One organisation", responses={200: OrganisationSerializer, **problem_responses(400, 404)}
    ),
)
class OrganisationViewSet(GenericViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    pagination_class = OrganisationPagination
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_converter = "slug"

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "links": Links(self.request)}

    def get_object(self) -> Organisation:
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No organisation “%(slug)s”.") % {"slug": self.kwargs["slug"]}) from exc

    def list(self, request: Request) -> Response:
        reject_unknown_parameters(request, PAGINATION_PARAMS)
        rows = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        reject_unknown_parameters(request, ())
        return Response(self.get_serializer(self.get_object()).data)
