"""Issue a service account's token: `manage.py service_token --admin ADMIN --user ACCOUNT --name NAME
[--read-write] [--days 90] [--per-minute 600]`. The account's role and region bound what the
token sees; the token is printed once (only its hash is stored)."""

from django.core.management.base import BaseCommand, CommandError

from safeloop.accounts.models import User
from safeloop.accounts.services import service_token_issue
from safeloop.core.errors import ServiceError


class Command(BaseCommand):
    help = "Issue a service account's API token (read-only unless --read-write)."

    def add_arguments(self, parser):
        parser.add_argument("--admin", required=True, help="the system administrator issuing it")
        parser.add_argument("--user", required=True, help="the account whose role and region the token has")
        parser.add_argument("--name", required=True)
        parser.add_argument("--read-write", action="store_true")
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--per-minute", type=int, default=600, help="0: no limit of its own")

    def handle(self, *args, **options):
        try:
            admin = User.objects.get(username=options["admin"])
            user = User.objects.get(username=options["user"])
            raw, token = service_token_issue(
                actor=admin,
                user=user,
                name=options["name"],
                read_only=not options["read_write"],
                days=options["days"],
                per_minute=options["per_minute"] or None,
            )
        except (User.DoesNotExist, ServiceError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{raw}\n(expires {token.expires_at:%Y-%m-%d %H:%M} UTC)")
