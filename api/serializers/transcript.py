"""A session chat's public transcript: messages and questions, with votes and answered marks."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from events.models import ChatMessage


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, allow_null=True, help_text="The member's id; null for a guest.")
    name = serializers.CharField(read_only=True, help_text="The display name when the message was posted.")
    guest = serializers.BooleanField(read_only=True, help_text="Posted by a visitor who was not signed in.")


class TranscriptMessageSerializer(serializers.Serializer):
    """Written as a plain dict (see api.serializers): the fields are declared for the schema."""

    id = serializers.IntegerField(read_only=True)
    author = AuthorSerializer(read_only=True)
    text = serializers.CharField(read_only=True, help_text="What the member typed, as plain text.")
    html = serializers.CharField(read_only=True, help_text="The text as sanitised HTML, links made clickable.")
    created = serializers.DateTimeField(read_only=True)
    question = serializers.BooleanField(read_only=True)
    votes = serializers.IntegerField(read_only=True, help_text="Members' upvotes (questions only).")
    answered = serializers.BooleanField(read_only=True, help_text="A moderator marked the question answered.")

    def to_representation(self, message: ChatMessage) -> dict:
        return {
            "id": message.pk,
            "author": {"id": message.author_id, "name": message.author_name, "guest": message.by_guest},
            "text": message.text,
            "html": message.html,
            "created": message.created.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "question": message.is_question,
            "votes": message.votes,
            "answered": message.answered_at is not None,
        }


class TranscriptSummarySerializer(serializers.Serializer):
    messages = serializers.IntegerField(read_only=True)
    questions = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    participants = serializers.IntegerField(read_only=True)
