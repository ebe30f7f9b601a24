"""The fan-out's bookkeeping: once per message per socket, and a reader that falls behind is
counted and closed (its client resumes from the database) rather than silently skipped."""

import asyncio
from types import SimpleNamespace

import pytest

from events.chat import fanout
from events.chat.consumers import _CLOSE, ChatConsumer

pytestmark = pytest.mark.asyncio


def _consumer(queue_size: int) -> ChatConsumer:
    consumer = ChatConsumer()
    consumer.queue = asyncio.Queue(maxsize=queue_size)
    consumer.sent = set()
    consumer.buffer = None
    consumer.room = SimpleNamespace(pk=1)
    return consumer


async def test_deliver_sends_each_message_id_once():
    consumer = _consumer(10)
    for message_id, frame in [(1, "a"), (2, "b"), (1, "a again"), (0, "presence"), (0, "presence")]:
        consumer.deliver(message_id, frame)
    assert [consumer.queue.get_nowait() for _ in range(consumer.queue.qsize())] == ["a", "b", "presence", "presence"]


async def test_frames_held_while_history_is_read_skip_what_the_history_sent():
    consumer = _consumer(10)
    consumer.buffer = []
    consumer.deliver(5, "five")
    consumer.deliver(6, "six")
    consumer.sent.update({4, 5})  # the history read meanwhile ended at 5
    consumer._release_buffer()
    assert [consumer.queue.get_nowait() for _ in range(consumer.queue.qsize())] == ["six"]


async def test_a_socket_that_falls_behind_is_counted_as_drops_and_closed():
    consumer = _consumer(2)
    drops, closes = fanout.stats.drops, fanout.stats.slow_closes
    for message_id in (1, 2, 3):
        consumer.deliver(message_id, f"frame {message_id}")
    assert (fanout.stats.drops - drops, fanout.stats.slow_closes - closes) == (3, 1)
    assert consumer.queue.get_nowait() is _CLOSE
