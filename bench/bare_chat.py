"""The raw ceiling for bench_chat.py: a bare ``websockets`` server that fans every frame a
client sends out to every connected client with ``broadcast()`` (no Django, no storage).

    .venv/bin/python bench/bare_chat.py --fd N     # serve on an inherited listening socket
"""

from __future__ import annotations

import argparse
import asyncio
import socket

from websockets.asyncio.server import broadcast, serve

CONNECTIONS: set = set()


async def handler(websocket) -> None:
    CONNECTIONS.add(websocket)
    try:
        async for message in websocket:
            broadcast(CONNECTIONS, message)
    finally:
        CONNECTIONS.discard(websocket)


async def main(fd: int) -> None:
    sock = socket.socket(fileno=fd)
    async with serve(handler, sock=sock, compression=None, max_queue=None):
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fd", type=int, required=True)
    asyncio.run(main(parser.parse_args().fd))
