"""Live chat fan-out: Praxis against a bare ``websockets`` broadcast server, in one run.

One room, one sender posting at a steady rate, every client (the sender included)
receiving every message; clients and servers on 127.0.0.1. Cases:

- ``bare``: ``bench/bare_chat.py``, one process, ``broadcast()`` (the ceiling);
- ``memory-1p``: Praxis under uvicorn, one process, in-memory channel layer;
- ``redis-2p``: Praxis under uvicorn, two processes over Redis (``REDIS_URL``, default
  ``redis://127.0.0.1:6379/0``), clients split evenly, the sender on the first.

Praxis stores every message (SQLite in a throw-away file, or ``DATABASE_URL``) before
broadcasting it. For each case it prints delivered % (frames received / messages x
clients), p50/p99 latency from the sender's clock to each receiver, and the servers'
CPU (user + system, from /proc; Redis's own ``used_cpu`` added for the Redis case) per
delivered frame, with the ratios to the bare server; results go to
``bench/results/chat.json``.

    .venv/bin/python bench/bench_chat.py [--clients 500] [--rate 5] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PADDING = "x" * 120  # frames of about 200 bytes once wrapped


def configure_environment() -> Path | None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + uuid.uuid4().hex * 2)
    os.environ["DEBUG"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CHAT_RATE_MESSAGES"] = "1000000"  # one sender posts the whole load
    tmp = Path(tempfile.mkdtemp(prefix="praxis-bench-chat-"))
    os.environ["STATIC_ROOT"] = str(tmp)  # nothing is served; keeps WhiteNoise quiet
    if os.environ.get("DATABASE_URL"):
        return tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return tmp


def prepare_room() -> tuple[int, str]:
    """A live session and a signed-in sender; returns the event id and the session cookie."""
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from community.models import Organisation, Profile, User
    from events.models import Event

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now().replace(microsecond=0)
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-chat", defaults={"name": "Bench chat", "type": "university", "country": "ES"}
    )
    conference = Event.objects.create(
        organiser=organisation, kind="conference", title="Bench conference", start=now, end=now + dt.timedelta(hours=8)
    )
    session = Event.objects.create(
        organiser=organisation,
        kind="session",
        parent=conference,
        title="Bench session",
        start=now - dt.timedelta(minutes=5),
        end=now + dt.timedelta(hours=2),
    )
    user = User.objects.create_user(username=f"bench-{uuid.uuid4().hex[:8]}", password=uuid.uuid4().hex)
    Profile.objects.create(user=user, slug=user.username, display_name="Bench sender")
    client = Client()
    client.force_login(user)
    return session.pk, client.cookies["sessionid"].value


def listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    return sock


def start_praxis(sock: socket.socket, redis_url: str | None) -> subprocess.Popen:
    env = os.environ.copy()
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    fd = sock.fileno()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--fd", str(fd)]
    command += ["--lifespan", "off", "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=[fd])


def start_bare(sock: socket.socket) -> subprocess.Popen:
    fd = sock.fileno()
    return subprocess.Popen([sys.executable, "bench/bare_chat.py", "--fd", str(fd)], cwd=ROOT, pass_fds=[fd])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def redis_cpu(redis_url: str | None) -> float:
    if not redis_url:
        return 0.0
    import redis

    info = redis.Redis.from_url(redis_url).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


class Receiver:
    def __init__(self) -> None:
        self.received = 0
        self.rooms = 0
        self.slow_closes = 0
        self.latencies: list[float] = []
        self.run_id = ""

    async def read(self, ws, *, bare: bool) -> None:
        marker = f"bench:{self.run_id}:"
        if bare:
            self.rooms += 1
        try:
            async for raw in ws:
                if marker not in raw:
                    if raw.startswith('{"type":"room"'):
                        self.rooms += 1
                    continue
                frame = json.loads(raw)
                if frame.get("type") != "message":
                    continue
                sent = float(frame["text"].split(":")[2])
                self.latencies.append(time.time() - sent)
                self.received += 1
        except websockets.ConnectionClosed as closed:
            if closed.rcvd and closed.rcvd.code == 4008:  # the server dropped a lagging reader: counted
                self.slow_closes += 1


async def connect_all(urls: list[str], count: int, origin_of, cookie: str | None) -> list:
    semaphore = asyncio.Semaphore(50)

    async def one(index: int):
        url = urls[index % len(urls)]
        headers = {"Cookie": f"sessionid={cookie}"} if cookie and index == 0 else {}
        async with semaphore:
            for _attempt in range(100):
                try:
                    return index, await websockets.connect(
                        url, origin=origin_of(url), additional_headers=headers, max_queue=None, compression=None
                    )
                except (TimeoutError, OSError, websockets.InvalidHandshake):
                    await asyncio.sleep(0.2)
        raise RuntimeError(f"could not connect to {url}")

    pairs = await asyncio.gather(*(one(i) for i in range(count)))
    return [ws for _index, ws in sorted(pairs, key=lambda pair: pair[0])]


async def run_case(
    name: str, urls: list[str], pids: list[int], *, clients: int, rate: float, seconds: float, cookie, redis_url
) -> dict:
    bare = cookie is None
    receiver = Receiver()
    receiver.run_id = uuid.uuid4().hex[:8]
    sockets = await connect_all(urls, clients, lambda url: "http://" + url.split("/")[2], cookie)
    readers = [asyncio.create_task(receiver.read(ws, bare=bare)) for ws in sockets]
    deadline = time.monotonic() + 120
    while receiver.rooms < clients and time.monotonic() < deadline:  # every client has its room state
        await asyncio.sleep(0.1)
    await asyncio.sleep(2)  # presence settles
    sender = sockets[0]
    cpu_before = sum(cpu_seconds(pid) for pid in pids) + redis_cpu(redis_url)
    messages = int(rate * seconds)
    started = time.monotonic()
    for n in range(messages):
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        text = f"bench:{receiver.run_id}:{time.time():.6f}:{n}:{PADDING}"
        if bare:
            await sender.send(json.dumps({"type": "message", "text": text}))
        else:
            await sender.send(json.dumps({"type": "post", "text": text, "client_id": f"{receiver.run_id}-{n}"}))
    expected = messages * clients
    deadline = time.monotonic() + 10
    while receiver.received < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    cpu_used = sum(cpu_seconds(pid) for pid in pids) + redis_cpu(redis_url) - cpu_before
    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()
    latencies = sorted(receiver.latencies) or [float("nan")]
    result = {
        "case": name,
        "clients": clients,
        "rate": rate,
        "messages": messages,
        "expected": expected,
        "delivered": receiver.received,
        "delivered_pct": round(100 * receiver.received / expected, 2),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
        "cpu_s": round(cpu_used, 3),
        "cpu_us_per_frame": round(1e6 * cpu_used / max(receiver.received, 1), 1),
        # Not received within 10 s of the last post: late (overload) or lost; a reader the
        # server dropped for lagging is counted apart, in slow_closes.
        "undelivered": expected - receiver.received,
        "slow_closes": receiver.slow_closes,
    }
    print(
        f"{name:>10} {clients:>5} clients {rate:>4g}/s: {result['delivered_pct']:6.2f} % delivered, "
        f"p50 {result['p50_ms']:7.1f} ms, "
        f"p99 {result['p99_ms']:7.1f} ms, {result['cpu_us_per_frame']:6.1f} µs CPU per frame, "
        f"{result['undelivered']} undelivered after 10 s, {result['slow_closes']} slow readers closed",
        flush=True,
    )
    return result


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


async def run_bare(*, clients: int, rate: float, seconds: float) -> dict:
    sock = listening_socket()
    process = start_bare(sock)
    try:
        url = f"ws://127.0.0.1:{sock.getsockname()[1]}/"
        common = {"clients": clients, "rate": rate, "seconds": seconds}
        return await run_case("bare", [url], [process.pid], cookie=None, redis_url=None, **common)
    finally:
        stop([process])
        sock.close()


async def run_praxis(name: str, *, processes: int, redis_url: str | None, event_id: int, cookie: str, **common) -> dict:
    socks = [listening_socket() for _ in range(processes)]
    servers = [start_praxis(s, redis_url) for s in socks]
    try:
        urls = [f"ws://127.0.0.1:{s.getsockname()[1]}/ws/chat/{event_id}/" for s in socks]
        pids = [p.pid for p in servers]
        return await run_case(name, urls, pids, cookie=cookie, redis_url=redis_url, **common)
    finally:
        stop(servers)
        for s in socks:
            s.close()


async def bench(args, event_id: int, cookie: str) -> dict[str, list[dict]]:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    has_redis = redis_reachable(redis_url)
    if not has_redis:
        print(f"Redis cases skipped: no Redis at {redis_url}")
    room = {"event_id": event_id, "cookie": cookie}
    common = {"clients": args.clients, "rate": args.rate, "seconds": args.seconds}
    out: dict[str, list[dict]] = {"main": [], "large": [], "scale_out": []}
    out["main"].append(await run_bare(**common))
    out["main"].append(await run_praxis("memory-1p", processes=1, redis_url=None, **room, **common))
    if has_redis:
        out["main"].append(await run_praxis("redis-2p", processes=2, redis_url=redis_url, **room, **common))
    if args.large and has_redis:
        large = {"clients": 1000, "rate": 2.0, "seconds": args.seconds}
        out["large"].append(await run_bare(**large))
        out["large"].append(await run_praxis("redis-2p", processes=2, redis_url=redis_url, **room, **large))
    if args.sweep and has_redis:
        # Scale-out and overload: the same room at rising rates with 1 and 2 processes;
        # beyond what a process sustains, losses and closed slow readers are counted.
        for rate in args.sweep:
            sweep = {"clients": args.clients, "rate": rate, "seconds": args.seconds}
            out["scale_out"].append(await run_bare(**sweep))  # what the client side itself sustains
            for processes in (1, 2):
                name = f"redis-{processes}p"
                out["scale_out"].append(
                    await run_praxis(name, processes=processes, redis_url=redis_url, **room, **sweep)
                )
    return out


def sustained(rows: list[dict], name: str, p99_bound: float) -> float:
    """Deliveries per second at the highest rate with everything delivered within the p99 bound."""
    ok = [r for r in rows if r["case"] == name and r["undelivered"] == 0 and r["p99_ms"] <= p99_bound]
    return max((r["rate"] * r["clients"] for r in ok), default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--large", action="store_true", help="also 1,000 clients at 2 msg/s over Redis")
    parser.add_argument("--sweep", type=float, nargs="*", help="rates for the 1- vs 2-process scale-out sweep")
    args = parser.parse_args()
    tmp = configure_environment()
    try:
        event_id, cookie = prepare_room()
        results = asyncio.run(bench(args, event_id, cookie))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\nratios to the bare server (same run):")
    for group in ("main", "large"):
        if not results[group]:
            continue
        bare = results[group][0]
        for row in results[group][1:]:
            row["p99_ratio"] = round(row["p99_ms"] / max(bare["p99_ms"], 0.1), 1)
            row["cpu_ratio"] = round(row["cpu_us_per_frame"] / max(bare["cpu_us_per_frame"], 0.1), 1)
            print(f"{row['case']:>10} {row['clients']:>5} clients: p99 {row['p99_ratio']}x, CPU {row['cpu_ratio']}x")
    if results["scale_out"]:
        bare, one, two = (sustained(results["scale_out"], name, 150.0) for name in ("bare", "redis-1p", "redis-2p"))
        results["sustained_deliveries_per_s"] = {
            "bare": bare,
            "1p": one,
            "2p": two,
            "ratio": round(two / one, 2) if one else None,
        }
        print(f"sustained at p99 <= 150 ms: bare {bare:g}/s, 1 process {one:g}/s, 2 processes {two:g}/s")
    out = ROOT / "bench" / "results" / "chat.json"
    payload = {"machine": platform.platform(), "cpus": os.cpu_count(), "args": vars(args), "results": results}
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
