from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from safeloop.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup (database and stored files) over this installation, then verify the "
        "ledger and every file hash (verify_ledger --full; exit 1 on a finding). Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the .backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask: the database is replaced")
        parser.add_argument("--no-verify", action="store_true", help="skip verify_ledger after restoring")

    def handle(self, *args, path: Path, yes: bool, no_verify: bool, **options):
        if not yes and input("当前数据库将被备份内容替换。继续请输入 yes：").strip() != "yes":
            raise CommandError("已取消")
        try:
            manifest = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已恢复 {manifest['created_at']} 的备份（全局序号至 #{manifest['ledger_top']}）")
        )
        if not no_verify:
            call_command("verify_ledger", full=True, stdout=self.stdout, stderr=self.stderr)
