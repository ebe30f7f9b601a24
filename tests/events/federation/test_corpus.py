"""Every file of the real-world corpus goes through the import path without an unhandled exception.

The deliberately broken files must come back with a clear report (a failed run with a
message, or per-event problems), never silence. A summary table is printed (``-s`` shows it).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from events.federation.imports import import_calendar, import_feed
from events.models import Event, ImportOutcome, ImportSource
from tests.events.federation.conftest import Route
from tests.events.federation.factories_federation import FeedFactory
from tests.factories import OrganisationFactory

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "ics"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/ics")


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")


@pytest.mark.django_db
def test_corpus_every_file_imports_or_reports_and_never_crashes():
    organisation = OrganisationFactory()
    rows, kinds = [], Counter()
    for entry in _manifest():
        body = (CORPUS / entry["file"]).read_bytes()
        run = import_calendar(organisation=organisation, body=body, source=ImportSource.UPLOAD)
        kinds.update(problem["kind"] for problem in run.problems)
        rows.append((entry["file"], entry["icalendar_parses"], entry["vevents"], run))
        stored = run.created + run.updated + run.unchanged + run.cancelled
        # Every VEVENT found is accounted for: stored, or failed with a reason.
        assert stored + run.failed >= run.events_in_source - run.unchanged, entry["file"]
        if run.outcome == ImportOutcome.FAILED:
            assert run.message, entry["file"]
        if run.failed:
            assert [p for p in run.problems if p["level"] == "error"], entry["file"]
    _print_summary(rows, kinds)
    assert Event.objects.filter(organiser=organisation).count() > 1000


def _print_summary(rows, kinds) -> None:
    print(
        f"\n{'file':60} {'icalendar':9} {'vevents':>7} {'found':>5} {'new':>5} {'upd':>5} {'same':>5}"
        f" {'fail':>5}  outcome"
    )
    for name, parses, vevents, run in rows:
        print(
            f"{name[:60]:60} {parses:9} {vevents or '-':>7} {run.events_in_source:5}"
            f" {run.created + run.cancelled:5} {run.updated:5}"
            f" {run.unchanged:5} {run.failed:5}  {run.outcome}{': ' + run.message[:60] if run.message else ''}"
        )
    outcomes = Counter(run.outcome for *_rest, run in rows)
    total_events = sum(run.created + run.cancelled for *_rest, run in rows)
    print(f"\nfiles: {len(rows)}  events imported: {total_events}  outcomes: {dict(outcomes)}")
    print("problems by kind: " + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))


@pytest.mark.slow
@pytest.mark.django_db
def test_corpus_every_file_through_the_fetch_path_from_a_local_server(feed_server):
    outcomes = Counter()
    for entry in _manifest():
        path = "/" + entry["file"]
        feed_server.routes[path] = Route(
            (CORPUS / entry["file"]).read_bytes(), headers={"Content-Type": "text/calendar"}
        )
        feed = FeedFactory(url=feed_server.url(path))
        run = import_feed(feed=feed)
        outcomes[run.outcome] += 1
        assert run.http_status == 200, entry["file"]
        if run.outcome == ImportOutcome.FAILED:
            assert run.message, entry["file"]
        # A second poll of the same bytes does no work.
        assert import_feed(feed=feed).outcome in (ImportOutcome.UNCHANGED, ImportOutcome.FAILED), entry["file"]
    print(f"\nfetch path: {dict(outcomes)}")
    assert outcomes[ImportOutcome.FAILED] <= 5
