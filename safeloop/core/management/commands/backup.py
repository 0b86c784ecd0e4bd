from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeloop.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Publish the day's ledger root, then write an encrypted backup (database, stored files, roots file) "
        "into SAFELOOP_BACKUP_DIR or --dir. Schedule: docs/deploy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="where to write the backup (default SAFELOOP_BACKUP_DIR)")

    def handle(self, *args, dir: Path | None, **options):
        try:
            result = backup_create(target_dir=dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        root = result.manifest["root"].get("root", "—")
        top = result.manifest["ledger_top"]
        self.stdout.write(self.style.SUCCESS(f"已备份到 {result.path}（全局序号至 #{top}，当日根 {root}）"))
