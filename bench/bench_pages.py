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
# As production serves pages: DEBUG off (DEBUG keeps and logs every statement, a cost the
# bare view with its one query hardly pays). BENCH_DEBUG=1 measures with DEBUG on.
os.environ["DEBUG"] = os.environ.get("BENCH_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("STATIC_FROM_SOURCE", "1")  # no collectstatic manifest needed
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

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
REPEATS = 20


def bare_view(request):
    """The floor: the same 50 upcoming rows, fetched and put in a minimal template."""
    from django.utils import timezone

    from events.models import Occurrence

    rows = list(
        Occurrence.objects.filter(listed=True, end__gt=timezone.now())
        .order_by("start", "id")
        .values_list("event__title", "start", "event__organiser__name")[:50]
    )
    body = "".join(f"<li>{t} {s:%Y-%m-%d %H:%M} {o}</li>" for t, s, o in rows)
    return HttpResponse(f"<!doctype html><ul>{body}</ul>")


urlpatterns = [path("bare/", bare_view)]


def seed(size: int) -> None:
    """``size`` upcoming events over two years, 10 % of them weekly series of 20, five zones,
    written in bulk through the write path's bulk form and expanded once."""
    import datetime as dt

    from django.utils import timezone

    from events.models import Event, Occurrence
    from events.occurrences import sync_all_occurrences
    from events.writing import prepare_for_bulk
    from tests.factories import OrganisationFactory

    Occurrence.objects.all().delete()
    Event.objects.all().delete()
    org = OrganisationFactory()
    now = timezone.now().replace(microsecond=0)
    zones = ["Europe/Madrid", "Europe/Ljubljana", "Europe/Dublin", "Europe/Helsinki", "UTC"]
    step = dt.timedelta(days=730) / size
    batch = []
    for i in range(size):
        start = now + step * i
        batch.append(
            Event(
                organiser=org,
                title=f"Event {i}",
                description="<p>" + "A practice worth sharing. " * 20 + "</p>",
                start=start,
                end=start + dt.timedelta(hours=2),
                timezone=zones[i % 5],
                rrule="FREQ=WEEKLY;COUNT=20" if i % 10 == 0 else "",
                uid=f"bench-{i}@praxis.bench",
            )
        )
        if len(batch) == 2000:
            Event.objects.bulk_create(prepare_for_bulk(batch))
            batch = []
    Event.objects.bulk_create(prepare_for_bulk(batch))
    sync_all_occurrences()


def measure(client: Client, url: str, *, cold: bool = False) -> tuple[float, int]:
    """Median time of ``url`` and its query count; ``cold`` empties the cache before each
    request, so the cards, the filter panel and the month grid are all rendered again (what
    the first view after an event write costs)."""
    from django.core.cache import cache

    client.get(url)  # warm
    times = []
    for _ in range(REPEATS):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="localhost")
    results = []
    for size in SIZES:
        seed(size)
        page_time, page_queries = measure(client, "/events/")
        month_time, month_queries = measure(client, "/events/?view=month")
        cold_page_time, _q = measure(client, "/events/", cold=True)
        cold_month_time, _q = measure(client, "/events/?view=month", cold=True)
        with override_settings(ROOT_URLCONF=__name__):
            bare_time, _bare_queries = measure(client, "/bare/")
        row = {
            "events": size,
            "events_page_median_ms": round(page_time * 1000, 2),
            "events_page_queries": page_queries,
            "month_view_median_ms": round(month_time * 1000, 2),
            "month_view_queries": month_queries,
            "events_page_cold_median_ms": round(cold_page_time * 1000, 2),
            "month_view_cold_median_ms": round(cold_month_time * 1000, 2),
            "bare_view_median_ms": round(bare_time * 1000, 2),
            "ratio_list_to_bare": round(page_time / bare_time, 2),
            "ratio_month_to_bare": round(month_time / bare_time, 2),
            "ratio_cold_list_to_bare": round(cold_page_time / bare_time, 2),
            "ratio_cold_month_to_bare": round(cold_month_time / bare_time, 2),
        }
        print(json.dumps(row), flush=True)
        results.append(row)
    first, last = results[0], results[-1]
    summary = {
        "database": connection.vendor,
        "sizes": results,
        "list_growth": round(last["events_page_median_ms"] / first["events_page_median_ms"], 2),
        "month_growth": round(last["month_view_median_ms"] / first["month_view_median_ms"], 2),
        "cold_list_growth": round(last["events_page_cold_median_ms"] / first["events_page_cold_median_ms"], 2),
        "cold_month_growth": round(last["month_view_cold_median_ms"] / first["month_view_cold_median_ms"], 2),
        "targets": {
            "list_growth": "<= 1.5",
            "month_growth": "<= 1.5",
            "ratio_list_to_bare": "<= 8",
            "ratio_month_to_bare": "<= 8",
        },
    }
    print(json.dumps(summary, indent=2))
    out = ROOT / "bench" / "results" / f"pages-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
