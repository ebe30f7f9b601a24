"""``manage.py sync_occurrences [--all]``: bring the occurrence table up to date.

Without ``--all`` only series that have no occurrence rows yet are expanded (after an
upgrade, or rows written by hand); with ``--all`` the whole table is rebuilt over the
current horizon (after changing OCCURRENCE_PAST_DAYS / OCCURRENCE_FUTURE_DAYS, and daily
to move the horizon forward).
"""

from django.core.management.base import BaseCommand

from events.models import Event
from events.occurrences import sync_all_occurrences, sync_occurrences


class Command(BaseCommand):
    help = "Expand event series into the occurrence table (pages read it)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Rebuild every series over the current horizon.")

    def handle(self, *args, **options):
        if options["all"]:
            written = sync_all_occurrences()
        else:
            missing = Event.objects.filter(
                recurrence_id__isnull=True, removed_at__isnull=True, occurrence_rows__isnull=True
            ).values_list("pk", flat=True)
            written = sync_occurrences(series_ids=list(missing))
        self.stdout.write(f"{written} occurrences written.")
