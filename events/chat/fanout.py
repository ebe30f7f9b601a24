"""Process-local room registry: one channel-layer subscription per room per process.

A stock Channels consumer subscribes every socket to the room's group, so a message
costs one layer message, one deserialisation and one handler dispatch (with a thread
hop) per recipient. Here each process holds one ``RoomHub`` per room with members
connected to it; the hub receives a room event once from the layer (in-memory or Redis
pub/sub) and hands the already-serialised frame to each local member, which only
queues it for its socket. Nothing on this path touches the database.

Presence is counted the same way: each hub announces its local member count through
the room's group (on change, at most once per ``PRESENCE_TICK``, and as a heartbeat),
and every hub adds up the counts of the processes it heard from recently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

from channels.layers import get_channel_layer

from events.chat.protocol import presence_frame

logger = logging.getLogger(__name__)

PROCESS_ID = uuid.uuid4().hex[:12]
PRESENCE_TICK = 1.0
PRESENCE_HEARTBEAT = 10.0
PRESENCE_STALE = 30.0


class Member(Protocol):
    def deliver(self, message_id: int, frame: str) -> None:
        """Queue a frame for the socket without awaiting it (never blocks the hub)."""


@dataclass
class FanoutStats:
    """Counters for this process, read by the benchmark and logged on drops: losses are never silent."""

    room_events: int = 0
    deliveries: int = 0
    drops: int = 0
    slow_closes: int = 0


stats = FanoutStats()


def group_name(room_id: int) -> str:
    return f"chat.room.{room_id}"


class RoomHub:
    def __init__(self, room_id: int, layer: Any) -> None:
        self.room_id = room_id
        self.group = group_name(room_id)
        self.layer = layer
        self.members: set[Member] = set()
        self.channel = ""
        self.remote: dict[str, tuple[int, float]] = {}
        self._announced = -1
        self._announce_at = 0.0
        self._shown_total = -1
        self._tasks: list[asyncio.Task] = []

    # --- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        self.channel = await self.layer.new_channel(prefix="chat-hub.")
        await self.layer.group_add(self.group, self.channel)
        self._tasks = [asyncio.create_task(self._pump()), asyncio.create_task(self._tick())]
        await self.layer.group_send(self.group, {"type": "chat.presence_query", "proc": PROCESS_ID})

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self.layer.group_send(self.group, {"type": "chat.presence", "proc": PROCESS_ID, "count": 0})
            await self.layer.group_discard(self.group, self.channel)
        except Exception:  # the layer is gone (Redis down, loop closing): nothing left to tidy
            logger.warning("chat hub %s: could not leave the room group", self.room_id, exc_info=True)

    # --- room events -----------------------------------------------------------

    async def publish(self, message_id: int, frame: str) -> None:
        """Send an already-serialised frame to every member of the room in every process."""
        await self.layer.group_send(self.group, {"type": "chat.frame", "id": message_id, "frame": frame})

    def total(self) -> int:
        """People in the room across all processes, as far as this process knows now."""
        now = time.monotonic()
        return len(self.members) + sum(count for count, seen in self.remote.values() if now - seen < PRESENCE_STALE)

    async def _pump(self) -> None:
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # a lost Redis connection: keep trying, the stored messages are safe
                logger.exception("chat hub %s: receive failed; retrying", self.room_id)
                await asyncio.sleep(1)
                continue
            try:
                self._handle(event)
            except Exception:
                logger.exception("chat hub %s: bad room event %r", self.room_id, event.get("type"))

    def _handle(self, event: dict) -> None:
        kind = event.get("type")
        if kind == "chat.frame":
            frame, message_id = event["frame"], event["id"]
            members = list(self.members)
            for member in members:
                member.deliver(message_id, frame)
            stats.room_events += 1
            stats.deliveries += len(members)
        elif kind == "chat.presence":
            if event["proc"] != PROCESS_ID:
                if event["count"]:
                    self.remote[event["proc"]] = (int(event["count"]), time.monotonic())
                else:
                    self.remote.pop(event["proc"], None)
        elif kind == "chat.presence_query" and event["proc"] != PROCESS_ID:
            self._announced = -1  # announce at the next tick

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_TICK)
            try:
                await self._presence_round()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("chat hub %s: presence round failed", self.room_id)

    async def _presence_round(self) -> None:
        now = time.monotonic()
        local = len(self.members)
        if local != self._announced or now >= self._announce_at:
            self._announced, self._announce_at = local, now + PRESENCE_HEARTBEAT
            await self.layer.group_send(self.group, {"type": "chat.presence", "proc": PROCESS_ID, "count": local})
        self.remote = {proc: entry for proc, entry in self.remote.items() if now - entry[1] < PRESENCE_STALE}
        total = self.total()
        if total != self._shown_total:
            self._shown_total = total
            frame = presence_frame(total)
            for member in list(self.members):
                member.deliver(0, frame)


# One registry per event loop: tests run each case in a fresh loop, and a hub's tasks
# and layer connections belong to the loop that started them.
_registries: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, tuple[RoomHub, asyncio.Task]]] = (
    weakref.WeakKeyDictionary()
)


async def join_room(room_id: int, member: Member) -> RoomHub:
    """Add a member to this process's hub of the room, starting the hub if it is the first."""
    registry = _registries.setdefault(asyncio.get_running_loop(), {})
    entry = registry.get(room_id)
    if entry is None:
        hub = RoomHub(room_id, get_channel_layer())
        entry = registry[room_id] = (hub, asyncio.create_task(hub.start()))
    hub, starting = entry
    hub.members.add(member)
    try:
        await asyncio.shield(starting)
    except Exception:
        hub.members.discard(member)
        if registry.get(room_id) is entry:
            del registry[room_id]
        raise
    return hub


async def leave_room(hub: RoomHub, member: Member) -> None:
    hub.members.discard(member)
    if hub.members:
        return
    registry = _registries.get(asyncio.get_running_loop(), {})
    entry = registry.get(hub.room_id)
    if entry is not None and entry[0] is hub:
        del registry[hub.room_id]
        await hub.stop()
