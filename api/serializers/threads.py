"""Discussion threads and their posts."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers import Links
from community.models import Post, Thread
from community.models.discussions import POST_MAX_CHARS


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    category = serializers.SlugField(read_only=True, allow_null=True)
    story = serializers.IntegerField(read_only=True, allow_null=True, help_text="Story id, for a story's discussion.")
    post_count = serializers.IntegerField(read_only=True)
    last_posted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_pinned = serializers.BooleanField(read_only=True)
    is_locked = serializers.BooleanField(read_only=True)
    url = serializers.URLField(read_only=True)

    def to_representation(self, thread: Thread) -> dict:
        links: Links = self.context["links"]
        return {
            "id": thread.pk,
            "title": thread.title,
            "category": thread.category.slug if thread.category_id else None,
            "story": thread.story_id,
            "post_count": thread.post_count,
            "last_posted_at": thread.last_posted_at.isoformat() if thread.last_posted_at else None,
            "is_pinned": thread.is_pinned,
            "is_locked": thread.is_locked,
            "url": links.origin + thread.get_absolute_url(),
        }


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    author = serializers.CharField(read_only=True, allow_null=True, help_text="Display name.")
    reply_to = serializers.IntegerField(read_only=True, allow_null=True)
    body_html = serializers.CharField(read_only=True, help_text="Sanitised HTML; empty when deleted or hidden.")
    created = serializers.DateTimeField(read_only=True)
    edited = serializers.BooleanField(read_only=True)
    removed = serializers.BooleanField(read_only=True, help_text="Deleted by its author or hidden by a moderator.")
    url = serializers.URLField(read_only=True, help_text="Permalink.")

    def to_representation(self, post: Post) -> dict:
        links: Links = self.context["links"]
        removed = post.deleted_at is not None or post.hidden_at is not None
        profile = getattr(post.author, "profile", None) if post.author_id else None
        return {
            "id": post.pk,
            "number": post.number,
            "author": profile.display_name if profile else None,
            "reply_to": post.reply_to_id,
            "body_html": "" if removed else post.body_html,
            "created": post.created.isoformat(),
            "edited": post.edited_at is not None,
            "removed": removed,
            "url": links.origin + post.get_absolute_url(),
        }


class ThreadDetailSerializer(ThreadSerializer):
    page = serializers.IntegerField(read_only=True)
    page_count = serializers.IntegerField(read_only=True)
    posts = PostSerializer(many=True, read_only=True)


class PostCreateSerializer(serializers.Serializer):
    body_markdown = serializers.CharField(help_text=f"Markdown, at most {POST_MAX_CHARS} characters.")
    reply_to = serializers.IntegerField(required=False, allow_null=True, help_text="Id of a post in this thread.")
