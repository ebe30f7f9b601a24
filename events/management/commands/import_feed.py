"""``manage.py import_feed SOURCE [--organisation SLUG]``: run the import path now.

SOURCE is a feed id (the feed's own organisation), an http(s)/webcal URL or a local
.ics file (both need ``--organisation``). Shows a progress bar on a terminal and ends
with the run's summary table; exits 1 when the run failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.models import Organisation
from events.federation.imports import import_calendar, import_feed, import_url
from events.federation.report import format_problems, format_table, summary_rows
from events.models import Feed, ImportOutcome, ImportSource, Origin


class Command(BaseCommand):
    help = "Import a partner feed now: a feed id, a URL or an .ics file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="feed id, http(s)/webcal URL, or path to an .ics file")
        parser.add_argument("--organisation", help="slug of the organisation a URL or file imports for")
        parser.add_argument("--force", action="store_true", help="ignore ETag and hashes: parse everything again")

    def handle(self, *args, source: str, organisation: str | None, force: bool, **options) -> None:
        progress = self._progress if sys.stderr.isatty() else None
        if source.isdigit():
            feed = Feed.objects.select_related("organisation").filter(pk=int(source)).first()
            if feed is None:
                raise CommandError(f"No feed with id {source}.")
            run = import_feed(feed=feed, source=ImportSource.COMMAND, force=force, progress=progress)
        else:
            if not organisation:
                raise CommandError("A URL or a file needs --organisation SLUG (the organisation it imports for).")
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation with slug {organisation!r}.")
            if source.lower().startswith(("http://", "https://", "webcal://")):
                run = import_url(organisation=org, url=source, progress=progress)
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"{source}: no such file, and not a feed id or URL.")
                run = import_calendar(
                    organisation=org,
                    body=path.read_bytes(),
                    source=ImportSource.COMMAND,
                    origin=Origin.FEED,
                    url="",
                    progress=progress,
                )
        if progress is not None:
            sys.stderr.write("\n")
        self.stdout.write(format_table(summary_rows(run)))
        if run.problems:
            self.stdout.write("\n" + format_problems(run))
        if run.outcome == ImportOutcome.FAILED:
            raise CommandError(run.message or "The import failed.")

    @staticmethod
    def _progress(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} events")
        sys.stderr.flush()
