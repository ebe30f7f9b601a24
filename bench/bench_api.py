"""API list throughput against the raw ceiling, in one run.

Creates 1,000 events in a throw-away SQLite file (or the database in DATABASE_URL,
where it adds and then deletes "bench-" organisations and their events), starts
two uvicorn servers the same way (one process each, 127.0.0.1, free ports):

- Praxis (``config.asgi:application``) serving ``/api/v1/events/?page_size=50``;
- ``bench/bare_api.py``: the same 50 rows from ``.values()`` in a ``JsonResponse``.

It then loads each in turn with keep-alive ``http.client`` connections in a few
threads for a fixed time, alternating rounds, and prints req/s for both, the ratio
(target: Praxis >= 0.5x bare) and the queries per request; results go to
``bench/results/api.json``.

    .venv/bin/python bench/bench_api.py [--seconds 8] [--rounds 3] [--clients 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRAXIS_PATH = "/api/v1/events/?page_size=50"
BARE_PATH = "/bare/events/"
PAGE_PATH = "/events/"
EVENTS = 1000


def configure_environment() -> Path | None:
    """Environment for this process and both servers; returns the temporary directory to delete."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The benchmark is one client hammering the API on purpose: lift the per-address limits.
    os.environ["API_RATE_ANON"] = "10000000/min"
    os.environ["API_RATE_USER"] = "10000000/min"
    if os.environ.get("DATABASE_URL"):
        return None
    tmp = Path(tempfile.mkdtemp(prefix="praxis-bench-api-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return tmp


def create_events() -> None:
    from community.models import Language, Organisation, Sector, Theme
    from events.models import Event
    from events.recurrence import series_end_of

    rng = random.Random(42)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {n}", slug=f"bench-org-{n}", type="university", country="ES")
        for n in range(20)
    )
    themes = [
        Theme.objects.get_or_create(slug=f"bench-theme-{n}", defaults={"name": f"Bench theme {n}"})[0]
        for n in range(10)
    ]
    sectors = [
        Sector.objects.get_or_create(slug=f"bench-sector-{n}", defaults={"name": f"Bench sector {n}"})[0]
        for n in range(4)
    ]
    languages = [Language.objects.get_or_create(code=code, defaults={"name": code})[0] for code in ("en", "es", "sl")]
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    events = []
    for n in range(EVENTS):
        start = now + dt.timedelta(hours=rng.randint(1, 24 * 365))
        event = Event(
            organiser=rng.choice(organisations),
            title=f"Bench event {n}: peer learning on inclusion in VET",
            description="<p>A meeting of practitioners from schools, VET centres and universities.</p>" * 3,
            start=start,
            end=start + dt.timedelta(hours=rng.choice((1, 2, 8))),
            timezone=rng.choice(("Europe/Madrid", "Europe/Ljubljana", "Europe/Brussels")),
            rrule="FREQ=WEEKLY;COUNT=10" if n % 10 == 0 else "",
            city=rng.choice(("Valencia", "Brdo pri Kranju", "Brussels")),
            country=rng.choice(("ES", "SI", "BE")),
            language=rng.choice(languages),
            attendance_mode=rng.choice(("offline", "online", "mixed")),
        )
        event.series_end = series_end_of(event)
        events.append(event)
    Event.objects.bulk_create(events, batch_size=500)
    theme_links = [Event.themes.through(event_id=e.pk, theme_id=t.pk) for e in events for t in rng.sample(themes, 2)]
    sector_links = [Event.sectors.through(event_id=e.pk, sector_id=rng.choice(sectors).pk) for e in events]
    Event.themes.through.objects.bulk_create(theme_links, batch_size=1000)
    Event.sectors.through.objects.bulk_create(sector_links, batch_size=1000)
    from events.occurrences import sync_all_occurrences

    sync_all_occurrences()  # the /events/ page reads the occurrence table


def delete_events() -> None:
    from community.models import Organisation, Sector, Theme

    Organisation.objects.filter(slug__startswith="bench-org-").delete()
    Theme.objects.filter(slug__startswith="bench-theme-").delete()
    Sector.objects.filter(slug__startswith="bench-sector-").delete()


def queries_per_request() -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path, urlconf in (("praxis", PRAXIS_PATH, None), ("bare", BARE_PATH, "bench.bare_api")):
        with override_settings(ROOT_URLCONF=urlconf) if urlconf else override_settings():
            client.get(path)  # warm caches (content types, urlconf import)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
        assert response.status_code == 200, (name, response.status_code, response.content[:500])
        assert len(response.json()["results"]) == 50, name
        counts[name] = len(queries)
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app: str, port: int, *, wsgi: bool = False) -> subprocess.Popen:
    """One process: uvicorn for an ASGI app, a gunicorn sync worker for a WSGI one."""
    if wsgi:
        command = [
            sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--log-level", "warning", "--timeout", "120",
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())


def wait_until_up(port: int, path: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return
            raise RuntimeError(f"GET {path} on port {port}: {response.status} {body[:300]!r}")
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer within {timeout}s")


def load(port: int, path: str, seconds: float, clients: int) -> float:
    """Requests per second over ``seconds`` from ``clients`` keep-alive connections."""
    stop = time.monotonic() + seconds
    done = [0] * clients
    failures: list[str] = []

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{response.status}")
                return
            done[index] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        raise RuntimeError(f"GET {path}: non-200 answers {failures[:5]}")
    return sum(done) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of one measuring round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server, alternating")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive connections")
    args = parser.parse_args()

    tmp = configure_environment()
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    servers: list[subprocess.Popen] = []
    try:
        print("migrating and creating events …", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        delete_events()
        create_events()
        queries = queries_per_request()

        # name: (app, WSGI?, path). The ceiling is the bare view behind a WSGI worker.
        targets = {
            "praxis": ("config.asgi:application", False, PRAXIS_PATH),
            "bare": ("bench.bare_api:application", False, BARE_PATH),
            "praxis_wsgi": ("config.wsgi:application", True, PRAXIS_PATH),
            "bare_wsgi": ("bench.bare_api:wsgi_application", True, BARE_PATH),
            "page": ("config.asgi:application", False, PAGE_PATH),
            "page_wsgi": ("config.wsgi:application", True, PAGE_PATH),
            "bare_page_wsgi": ("bench.bare_api:wsgi_application", True, "/bare/page/"),
        }
        ports = {name: free_port() for name in targets}
        paths = {name: path for name, (_app, _wsgi, path) in targets.items()}
        for name, (app, wsgi, _path) in targets.items():
            servers.append(start_server(app, ports[name], wsgi=wsgi))
        for name, process in zip(targets, servers, strict=True):
            wait_until_up(ports[name], paths[name], process)
            load(ports[name], paths[name], 1.0, args.clients)  # warm-up

        rates: dict[str, list[float]] = {name: [] for name in targets}
        for round_no in range(args.rounds):
            order = list(targets) if round_no % 2 == 0 else list(reversed(targets))
            for name in order:
                rate = load(ports[name], paths[name], args.seconds, args.clients)
                rates[name].append(rate)
                print(f"round {round_no + 1}: {name:12} {rate:7.1f} req/s", flush=True)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if tmp is None:
            delete_events()
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in rates.items()}
    praxis, bare = median["praxis"], median["bare"]
    ratio = praxis / bare
    wsgi_ratio = median["praxis_wsgi"] / median["bare_wsgi"]
    asgi_to_wsgi_ceiling = praxis / median["bare_wsgi"]
    print(f"\nPraxis {PRAXIS_PATH}: uvicorn {praxis:.1f} req/s, gunicorn {median['praxis_wsgi']:.1f} req/s "
          f"({queries['praxis']} queries/request)")  # fmt: skip
    print(f"bare JsonResponse of .values(): uvicorn {bare:.1f} req/s, gunicorn {median['bare_wsgi']:.1f} req/s")
    page_ratio = median["page_wsgi"] / median["bare_page_wsgi"]
    print(f"/events/ page: uvicorn {median['page']:.1f} req/s, gunicorn {median['page_wsgi']:.1f} req/s; "
          f"bare page of the same 50 rows under gunicorn {median['bare_page_wsgi']:.1f} req/s: "
          f"{page_ratio:.2f}x (target >= 0.30x)")  # fmt: skip
    print(f"ratio, both under uvicorn: {ratio:.2f}x; both under gunicorn: {wsgi_ratio:.2f}x; "
          f"Praxis under uvicorn / bare under gunicorn: {asgi_to_wsgi_ceiling:.2f}x (target >= 0.50x)")  # fmt: skip
    result = {
        "benchmark": "api_events_list",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "database": "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite",
        "server": "one process each on 127.0.0.1: uvicorn (ASGI) or a gunicorn sync worker (WSGI)",
        "events": EVENTS,
        "rows_per_response": 50,
        "clients": args.clients,
        "seconds_per_round": args.seconds,
        "rounds": args.rounds,
        "queries_per_request": queries,
        "req_per_s": {name: round(value, 1) for name, value in median.items()},
        "samples": {name: [round(r, 1) for r in values] for name, values in rates.items()},
        "ratio_uvicorn": round(ratio, 3),
        "ratio_gunicorn": round(wsgi_ratio, 3),
        "ratio_praxis_uvicorn_to_bare_gunicorn": round(asgi_to_wsgi_ceiling, 3),
        "page_gunicorn_to_uvicorn": round(median["page_wsgi"] / median["page"], 3),
        "page_gunicorn_to_bare_page_gunicorn": round(page_ratio, 3),
        "target_ratio": 0.5,
    }
    out = ROOT / "bench" / "results" / "api.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0 if wsgi_ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
