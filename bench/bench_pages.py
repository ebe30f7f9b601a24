"""`/events/` list page (50 occurrences a page) against a bare Django view rendering the same 50 rows.

Both go through Django's test client in one process and one run, so the ratio is
what the page's own work costs (filters, recurrence expansion, template) over the
floor of fetching the rows and rendering a minimal template.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
_tmp = tempfile.mkdtemp(prefix="praxis-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402

EVENTS = 200
REPEATS = 30


def bare_view(request):
    rows = list(
        __import__("events.models", fromlist=["Event"])
        .Event.objects.order_by("start")
        .values_list("title", "start", "organiser__name")[:50]
    )
    body = "".join(f"<li>{t} {s:%Y-%m-%d %H:%M} {o}</li>" for t, s, o in rows)
    return HttpResponse(f"<!doctype html><ul>{body}</ul>")


urlpatterns = [path("bare/", bare_view)]


def seed() -> None:
    import datetime as dt

    from django.utils import timezone

    from events.models import Event
    from tests.factories import OrganisationFactory

    org = OrganisationFactory()
    now = timezone.now()
    Event.objects.bulk_create(
        [
            Event(
                organiser=org,
                title=f"Event {i}",
                start=now + dt.timedelta(hours=3 * i),
                end=now + dt.timedelta(hours=3 * i + 1),
                series_end=now + dt.timedelta(hours=3 * i + 1),
                timezone="Europe/Madrid",
                uid=f"bench-{i}@praxis",
            )
            for i in range(EVENTS)
        ]
    )


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    seed()
    client = Client(HTTP_HOST="localhost")
    page_time, page_queries = measure(client, "/events/")
    with override_settings(ROOT_URLCONF=__name__):
        bare_time, bare_queries = measure(client, "/bare/")
    result = {
        "events": EVENTS,
        "events_page_median_ms": round(page_time * 1000, 2),
        "events_page_queries": page_queries,
        "bare_view_median_ms": round(bare_time * 1000, 2),
        "bare_view_queries": bare_queries,
        "ratio": round(page_time / bare_time, 2),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
