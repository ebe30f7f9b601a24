"""The chat socket: thin glue between frames, the domain functions and the room hub.

Built on ``AsyncConsumer`` without a channel of its own: the room's hub (``fanout``)
receives room events once per process, so a socket needs no layer subscription, and
frames are handled without ``dispatch()``'s per-message database-connection hop (every
database call goes through ``database_sync_to_async``, which tidies connections itself).

Each socket has a bounded outgoing queue drained by one writer task, so a slow reader
never holds up the hub. A socket that falls ``SEND_QUEUE`` frames behind is counted as a
drop and closed with code 4008; its client reconnects with ``?after=<last id>`` and loses
nothing, because every message is stored before it is broadcast.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import AsyncConsumer
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from django.utils.translation import gettext as _

from events.chat import fanout, moderation, protocol
from events.chat.errors import ChatError
from events.chat.guests import guest_key_of
from events.chat.messages import (
    RESUME_MAX,
    deleted_before,
    hide_own_message,
    messages_after,
    open_questions,
    post_message,
    recent_messages,
    upvote_question,
    voted_question_ids,
)
from events.chat.rooms import can_moderate, can_post, display_name_of, muted_until, room_for_event, room_window
from events.models import ChatMessage, ChatRoom

logger = logging.getLogger(__name__)

SEND_QUEUE = 1000
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_SLOW = 4008
_CLOSE = object()


def _after_from(scope: dict) -> int | None:
    raw = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("after", [""])[0]
    return int(raw) if raw.isdigit() else None


class ChatConsumer(AsyncConsumer):
    async def __call__(self, scope, receive, send) -> None:
        self.scope = scope
        self.base_send = send
        self.channel_layer = None
        self.hub: fanout.RoomHub | None = None
        self.writer: asyncio.Task | None = None
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=SEND_QUEUE)
        self.sent: set[int] = set()
        self.buffer: list[tuple[int, str]] | None = []  # live frames held while history is read
        try:
            while True:
                message = await receive()
                await self.dispatch(message)
        except StopConsumer:
            pass
        finally:
            await self._tidy()

    async def dispatch(self, message: dict) -> None:
        kind = message["type"]
        if kind == "websocket.connect":
            await self.connect()
        elif kind == "websocket.receive":
            await self.receive_frame(message.get("text"))
        elif kind == "websocket.disconnect":
            raise StopConsumer

    # --- connection --------------------------------------------------------------

    async def connect(self) -> None:
        self.user = self.scope["user"]
        self.guest_key = "" if self.user.is_authenticated else guest_key_of(self.scope.get("session"))
        try:
            self.room = await database_sync_to_async(room_for_event)(
                event_id=int(self.scope["url_route"]["kwargs"]["event_id"])
            )
        except ChatError:
            # Before accept: the handshake is refused (HTTP 403), as for a foreign origin.
            await self.base_send({"type": "websocket.close", "code": CLOSE_NOT_FOUND})
            raise StopConsumer from None
        await self.base_send({"type": "websocket.accept"})
        try:
            self.hub = await fanout.join_room(self.room.pk, self)
        except Exception:  # the channel layer is unreachable: the client retries with back-off
            logger.exception("chat room %s: could not join the room's group", self.room.pk)
            await self.base_send({"type": "websocket.close", "code": 1011})
            raise StopConsumer from None
        after = _after_from(self.scope)
        state, history_ids = await database_sync_to_async(self._room_state)(after, self.hub.total())
        self.sent.update(history_ids)
        await self.base_send({"type": "websocket.send", "text": state})
        self.writer = asyncio.create_task(self._write())
        self._release_buffer()

    def _room_state(self, after: int | None, presence: int) -> tuple[str, list[int]]:
        """Everything a client needs on (re)connect, read in one thread hop (the hub's
        counts are read on the event loop, never from this thread)."""
        room, user = self.room, self.user
        window = room_window(room=room)
        self.moderator = can_moderate(user=user, room=room)
        history = recent_messages(room=room) if after is None else messages_after(room=room, after=after)
        me = {"id": user.pk, "name": display_name_of(user)} if user.is_authenticated else None
        frame = protocol.room_frame(
            room_id=room.event_id,
            title=room.event.title,
            state=window.state,
            opens_at=window.opens_at,
            closes_at=window.closes_at,
            slow_mode=room.slow_mode_seconds,
            can_post=can_post(user=user, room=room, guest_key=self.guest_key),
            can_moderate=self.moderator,
            me=me,
            muted_until=muted_until(user=user, room=room),
            presence=presence,
            history=history,
            questions=open_questions(room=room),
            voted=voted_question_ids(room=room, user=user),
            more=after is not None and len(history) == RESUME_MAX,
            deleted=deleted_before(room=room, after=after) if after is not None else [],
            guest=bool(self.guest_key),
        )
        return frame, [m.pk for m in history]

    async def _tidy(self) -> None:
        if self.hub is not None:
            await fanout.leave_room(self.hub, self)
            self.hub = None
        if self.writer is not None:
            self.writer.cancel()

    # --- outgoing ----------------------------------------------------------------

    def deliver(self, message_id: int, frame: str) -> None:
        """Called by the hub for every room event; never awaits. Each message goes out once."""
        if self.buffer is not None:
            self.buffer.append((message_id, frame))
            return
        if message_id:
            if message_id in self.sent:
                return
            self.sent.add(message_id)
        self._enqueue(frame)

    def reply(self, frame: str) -> None:
        self._enqueue(frame)

    def _enqueue(self, frame: Any) -> None:
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            fanout.stats.drops += 1 + self.queue.qsize()
            fanout.stats.slow_closes += 1
            logger.warning("chat room %s: a socket fell %d frames behind; closing it", self.room.pk, SEND_QUEUE)
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(_CLOSE)

    def _release_buffer(self) -> None:
        held, self.buffer = self.buffer or [], None
        for message_id, frame in held:
            self.deliver(message_id, frame)

    async def _write(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is _CLOSE:
                await self.base_send({"type": "websocket.close", "code": CLOSE_TOO_SLOW})
                return
            await self.base_send({"type": "websocket.send", "text": frame})

    # --- incoming ----------------------------------------------------------------

    async def receive_frame(self, text: str | None) -> None:
        frame: dict = {}
        try:
            frame = protocol.parse_client_frame(text)
            handler = getattr(self, f"on_{frame['type']}")
            await handler(frame)
        except ChatError as error:
            self.reply(protocol.error_frame(error, client_id=frame.get("client_id")))
        except Exception:  # a fault of ours (database, Redis): say so, keep the connection
            logger.exception("chat room %s: %s frame failed", self.room.pk, frame.get("type"))
            error = ChatError("unavailable", _("Something went wrong on our side; please try again."))
            self.reply(protocol.error_frame(error, client_id=frame.get("client_id")))

    async def on_ping(self, frame: dict) -> None:
        self.reply(protocol.PONG)

    async def on_post(self, frame: dict) -> None:
        message, created = await database_sync_to_async(post_message)(
            room=self.room,
            user=self.user,
            text=frame.get("text"),
            client_id=frame.get("client_id"),
            as_question=frame.get("question") is True,
            moderator=self.moderator,
            guest_key=self.guest_key,
            guest_name=frame.get("name"),
        )
        text = protocol.message_frame(message)
        if created:
            await self.hub.publish(message.pk, text)
        else:
            self.reply(text)  # a retry: confirm to this client only

    async def on_resume(self, frame: dict) -> None:
        after = frame.get("after")
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            raise ChatError("invalid", _("after must be the id of the last message you saw (0 for all)."))
        self.buffer = []
        try:
            rows, deleted, questions = await database_sync_to_async(self._resume_rows)(after)
            fresh = [m for m in rows if m.pk not in self.sent]
            self.sent.update(m.pk for m in fresh)
            self.reply(
                protocol.history_frame(fresh, more=len(rows) == RESUME_MAX, deleted=deleted, questions=questions)
            )
        finally:
            self._release_buffer()

    def _resume_rows(self, after: int) -> tuple[list[ChatMessage], list[int], list[ChatMessage]]:
        room = self.room
        return (
            messages_after(room=room, after=after),
            deleted_before(room=room, after=after),
            open_questions(room=room),
        )

    async def on_vote(self, frame: dict) -> None:
        question, counted = await database_sync_to_async(upvote_question)(
            room=self.room, user=self.user, message_id=frame.get("id")
        )
        if counted:
            await self.hub.publish(0, protocol.votes_frame(question))
        else:
            self.reply(protocol.votes_frame(question))

    async def on_answer(self, frame: dict) -> None:
        question = await self._moderate(moderation.mark_answered, message_id=frame.get("id"))
        await self.hub.publish(0, protocol.answered_frame(question.pk))

    async def on_delete(self, frame: dict) -> None:
        message = await self._moderate(moderation.delete_message, message_id=frame.get("id"))
        await self.hub.publish(0, protocol.deleted_frame(message.pk))

    async def on_mute(self, frame: dict) -> None:
        if "message_id" in frame:  # a guest, known by one of their messages
            await self._moderate(moderation.mute_guest_of, message_id=frame["message_id"], minutes=frame.get("minutes"))
            self.reply(protocol.encode({"type": "guest_muted", "message_id": frame["message_id"]}))
            return
        mute = await self._moderate(moderation.mute_member, user_id=frame.get("user_id"), minutes=frame.get("minutes"))
        await self.hub.publish(0, protocol.muted_frame(user_id=mute.user_id, until=mute.until))

    async def on_slow_mode(self, frame: dict) -> None:
        room = await self._moderate(moderation.set_slow_mode, seconds=frame.get("seconds"))
        await self._publish_state(room)

    async def on_set_state(self, frame: dict) -> None:
        room = await self._moderate(moderation.set_room_opening, override=frame.get("state"))
        await self._publish_state(room)

    async def on_hide(self, frame: dict) -> None:
        hidden = frame.get("hidden", True)
        if not isinstance(hidden, bool):
            raise ChatError("invalid", _("hidden must be true or false."))
        message: ChatMessage = await database_sync_to_async(hide_own_message)(
            room=self.room, user=self.user, message_id=frame.get("id"), hidden=hidden
        )
        self.reply(protocol.hidden_frame(message_id=message.pk, hidden=message.hidden_by_author))

    async def _moderate(self, action, **kwargs):
        """Moderation re-checks the actor's rights in the database on every action."""
        return await database_sync_to_async(action)(room=self.room, actor=self.user, **kwargs)

    async def _publish_state(self, room: ChatRoom) -> None:
        room.event = self.room.event
        self.room = room
        window = room_window(room=room)
        await self.hub.publish(0, protocol.state_frame(state=window.state, slow_mode=room.slow_mode_seconds))
