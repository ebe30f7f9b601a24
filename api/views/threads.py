"""`/api/v1/threads/`: discussion threads, their posts, and posting for signed-in members."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.pagination import KeysetPagination
from api.problems import problem_responses
from api.serializers import Links
from api.serializers.threads import PostCreateSerializer, PostSerializer, ThreadDetailSerializer, ThreadSerializer
from api.views import PAGINATION_PARAMS, reject_unknown_parameters
from community.discussions import RateLimited, post_reply, thread_page_count, thread_posts
from community.models import Category, Post, Thread


class ThreadPagination(KeysetPagination):
    ordering = ("created", "id")


@extend_schema_view(
    list=extend_schema(
        summary="List threads",
        description="Oldest first; `category` narrows to one category.",
        parameters=[OpenApiParameter("category", OpenApiTypes.STR, description="Category slug.")],
        responses={200: ThreadSerializer(many=True), **problem_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One thread with a page of its posts",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("page", OpenApiTypes.INT, description="Page of 50 posts, from 1."),
        ],
        responses={200: ThreadDetailSerializer, **problem_responses(400, 404)},
    ),
)
class ThreadViewSet(GenericViewSet):
    lookup_value_converter = "id"  # community/url_converters.py: bounded database ids
    serializer_class = ThreadSerializer
    pagination_class = ThreadPagination
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return Thread.objects.visible().select_related("category")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "links": Links(self.request)}

    def _thread(self, pk: str) -> Thread:
        thread = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if thread is None:
            raise NotFound(_("No thread with id %(id)s.") % {"id": pk})
        return thread

    def list(self, request: Request) -> Response:
        reject_unknown_parameters(request, (*PAGINATION_PARAMS, "category"))
        threads = self.get_queryset()
        slug = request.query_params.get("category")
        if slug:
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                raise ValidationError({"category": [_("Unknown category: %(slug)s") % {"slug": slug}]})
            threads = threads.filter(category=category)
        rows = self.paginate_queryset(threads)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        reject_unknown_parameters(request, ("page",))
        thread = self._thread(pk)
        pages = thread_page_count(thread=thread)
        raw = request.query_params.get("page") or "1"
        if not raw.isdigit() or not 1 <= int(raw) <= pages:
            raise ValidationError({"page": [_("Enter a page from 1 to %(pages)d.") % {"pages": pages}]})
        context = self.get_serializer_context()
        row = ThreadSerializer(thread, context=context).data
        posts = thread_posts(thread=thread, page=int(raw))
        row.update(
            {"page": int(raw), "page_count": pages, "posts": PostSerializer(posts, many=True, context=context).data}
        )
        return Response(row)

    @extend_schema(
        summary="Post in a thread",
        description="For signed-in members (session with CSRF token). A locked thread answers 403; "
        "too many posts in a short time answers 429.",
        request=PostCreateSerializer,
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={201: PostSerializer, **problem_responses(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["post"], url_path="posts")
    def posts(self, request: Request, pk: str) -> Response:
        thread = self._thread(pk)
        payload = PostCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reply_to = None
        if payload.validated_data.get("reply_to"):
            reply_to = Post.objects.filter(pk=payload.validated_data["reply_to"], thread=thread).first()
            if reply_to is None:
                raise ValidationError({"reply_to": [_("No post with this id in this thread.")]})
        try:
            post = post_reply(
                user=request.user,
                thread=thread,
                body_markdown=payload.validated_data["body_markdown"],
                reply_to=reply_to,
            )
        except RateLimited as exc:
            raise Throttled(detail=str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        post = Post.objects.select_related("author__profile").get(pk=post.pk)
        return Response(
            PostSerializer(post, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )
