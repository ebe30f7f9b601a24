from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.demo import load_community_demo
from events.demo import load_events_demo
from events.federation.demo import load_federation_demo


class Command(BaseCommand):
    help = "Load the demo content from the seed documents (idempotent; DEBUG only)."

    def handle(self, *args, **options) -> None:
        try:
            with transaction.atomic():
                community = load_community_demo()
                events = load_events_demo(community["organisations"], community["users"])
                load_federation_demo(community["organisations"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(community['organisations'])} organisations, "
                f"{len(community['users'])} members, {len(events)} events."
            )
        )
