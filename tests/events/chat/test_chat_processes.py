"""Two real uvicorn processes sharing one room over Redis, and a restart that loses nothing.

Skipped without ``REDIS_URL`` (the in-memory layer cannot span processes); CI sets it.
"""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_asyncio
import websockets
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection

from events.models import ChatMessage
from tests.events.factories_chat import live_session, member, session_cookie

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: two processes share a room over Redis"
    ),
]

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Server:
    """uvicorn on a listening socket the test owns, so a restart keeps the same port."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "SECRET_KEY": settings.SECRET_KEY,  # the test signs the session cookie with it
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        fd = self.sock.fileno()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--fd", str(fd), "--lifespan", "off"],
            cwd=ROOT,
            env=env,
            pass_fds=[fd],
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self.stop()
        self.sock.close()


@pytest.fixture
def servers():
    pair = [Server(), Server()]
    for server in pair:
        server.start()
    yield pair
    for server in pair:
        server.close()


@pytest_asyncio.fixture
async def opened():
    """Every socket a test opens, closed at the end whatever happened."""
    sockets: list = []
    yield sockets
    for ws in sockets:
        await ws.close()


async def _open(server: Server, event_id: int, opened: list, *, cookie: str | None = None, after: int | None = None):
    """Connect (retrying while the process starts) and return the socket and its room frame."""
    url = f"ws://127.0.0.1:{server.port}/ws/chat/{event_id}/" + (f"?after={after}" if after is not None else "")
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    for _attempt in range(150):
        try:
            ws = await websockets.connect(url, origin=f"http://127.0.0.1:{server.port}", additional_headers=headers)
        except (TimeoutError, OSError, websockets.InvalidHandshake):
            await asyncio.sleep(0.2)
            continue
        opened.append(ws)
        return ws, await _next(ws, "room")
    raise AssertionError(f"server on port {server.port} never accepted the socket")


async def _next(ws, kind: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        if frame["type"] == kind:
            return frame


async def _post(ws, text: str, client_id: str) -> dict:
    await ws.send(json.dumps({"type": "post", "text": text, "client_id": client_id}))
    while True:
        frame = await _next(ws, "message")
        if frame["client_id"] == client_id:
            return frame


@pytest.fixture
def room_and_cookie():
    session = live_session()
    return session.pk, session_cookie(member("Writer"))


async def test_a_message_posted_on_one_process_arrives_on_the_other(servers, room_and_cookie, opened):
    event_id, cookie = room_and_cookie
    first, second = servers
    writer, _ = await _open(first, event_id, opened, cookie=cookie)
    reader, _ = await _open(second, event_id, opened)
    await asyncio.sleep(0.3)  # let the second process's hub finish subscribing
    sent = await _post(writer, "across processes", "x1")
    received = await _next(reader, "message")
    assert (received["id"], received["text"]) == (sent["id"], "across processes")


async def test_a_restart_loses_nothing_and_resume_gets_every_message_once(servers, room_and_cookie, opened):
    event_id, cookie = room_and_cookie
    first, second = servers
    writer, _ = await _open(first, event_id, opened, cookie=cookie)
    reader, _ = await _open(second, event_id, opened)
    await asyncio.sleep(0.3)
    seen = [(await _post(writer, "before", "b1"))["id"]]
    seen_by_reader = (await _next(reader, "message"))["id"]
    second.stop()  # the reader's server goes away mid-session
    with contextlib.suppress(websockets.ConnectionClosed, asyncio.TimeoutError):
        await asyncio.wait_for(reader.recv(), timeout=5)
    missed = [(await _post(writer, f"while down {n}", f"d{n}"))["id"] for n in range(3)]
    first.stop()  # and the writer's server restarts too: stored messages survive it
    first.start()
    second.start()
    _resumed, state = await _open(second, event_id, opened, after=seen_by_reader)
    stored = await database_sync_to_async(
        lambda: list(ChatMessage.objects.order_by("id").values_list("id", flat=True))
    )()
    assert seen == [seen_by_reader]
    assert [m["id"] for m in state["history"]] == missed
    assert stored == seen + missed
