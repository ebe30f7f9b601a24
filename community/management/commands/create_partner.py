"""``manage.py create_partner SLUG --name NAME [--admin-email EMAIL]``.

Creates the organisation (or reuses it), makes the email's account its admin, and prints
a new API key alone on the last line, so a script can take it with ``tail -n 1``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from community.organisations import create_partner


class Command(BaseCommand):
    help = "Create a partner organisation with an admin and print a new API key on the last line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", default="")

    def handle(self, *args, slug: str, name: str, admin_email: str, **options) -> None:
        try:
            organisation, key, secret = create_partner(slug=slug, name=name, admin_email=admin_email)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Organisation: {organisation.name} ({organisation.slug})")
        if admin_email:
            self.stdout.write(f"Admin: {admin_email}")
        self.stdout.write(f"API key {key.prefix}… created; it is shown once:")
        self.stdout.write(secret)
