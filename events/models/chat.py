"""Live session chat: rooms, messages, question votes, mutes and the moderation log.

Chat state lives beside ``Event`` rather than on it: a room row exists for every session
that has been opened once and for any other event the organiser enabled chat for. The
message's HTML is rendered once on write (plain text with links made clickable by the one
sanitiser) and kept next to the text, so neither the fan-out nor the transcript renders.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoomOverride(models.TextChoices):
    AUTO = "auto", _("Open from shortly before the start until shortly after the end")
    OPEN = "open", _("Open (set by hand)")
    CLOSED = "closed", _("Read-only (set by hand)")


class ChatRoom(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="chat_room", verbose_name=_("event")
    )
    override = models.CharField(_("opening"), max_length=6, choices=RoomOverride.choices, default=RoomOverride.AUTO)
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode"), default=0, help_text=_("Seconds a member waits between messages; 0 is off.")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        permissions = [("moderate_chat", "Can moderate every chat room")]

    def __str__(self) -> str:
        return f"Chat: {self.event}"


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    # Empty for a guest's message (CHAT_GUEST_POSTING): the guest is ``guest_key``, a hash of
    # their browser session, and ``author_name`` the display name they gave.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="chat_messages"
    )
    guest_key = models.CharField(max_length=64, blank=True, default="")
    # The name as it was shown when posted: fan-out and transcript need no join.
    author_name = models.CharField(max_length=120)
    client_id = models.CharField(max_length=64)
    text = models.TextField()
    html = models.TextField()
    is_question = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    hidden_by_author = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # A retry of the same post (after a dropped connection) finds the stored row.
            models.UniqueConstraint(fields=["room", "author", "client_id"], name="chat_message_client_id_unique"),
            models.UniqueConstraint(
                fields=["room", "guest_key", "client_id"],
                condition=~Q(guest_key=""),
                name="chat_guest_message_client_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["room", "id"], name="chat_message_room_id"),
            models.Index(fields=["room", "id"], condition=Q(is_question=True), name="chat_question_room_id"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"

    @property
    def by_guest(self) -> bool:
        return bool(self.guest_key)


class QuestionVote(models.Model):
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="question_votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="question_vote_once")]

    def __str__(self) -> str:
        return f"{self.user} ↑ {self.message_id}"


class ChatMute(models.Model):
    """A member may not post in the room until ``until`` (a ban is a mute far in the future)."""

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["room", "user", "until"], name="chat_mute_lookup")]

    def __str__(self) -> str:
        return f"{self.user} muted until {self.until:%Y-%m-%d %H:%M}"


class ModerationAction(models.TextChoices):
    DELETE = "delete", _("Deleted a message")
    MUTE = "mute", _("Muted a member")
    SLOW_MODE = "slow_mode", _("Changed slow mode")
    OPENING = "opening", _("Opened or closed the room")
    ANSWERED = "answered", _("Marked a question answered")


class ChatModerationLog(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=12, choices=ModerationAction.choices)
    message = models.ForeignKey(ChatMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("chat moderation entry")
        verbose_name_plural = _("chat moderation log")

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} ({self.created:%Y-%m-%d %H:%M})"
