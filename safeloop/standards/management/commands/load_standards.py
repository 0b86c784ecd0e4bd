from django.core.management.base import BaseCommand

from safeloop.standards.catalogue import catalogue_load


class Command(BaseCommand):
    help = "Load or update the determination standards catalogue from safeloop/standards/data/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also overwrite clauses an administrator amended")

    def handle(self, *args, force: bool = False, **options):
        counts = catalogue_load(force=force)
        self.stdout.write(
            f"standards: {counts['standards']}, clauses: {counts['clauses']}, "
            f"amended clauses kept: {counts['kept_amended']}"
        )
