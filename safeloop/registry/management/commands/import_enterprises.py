from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeloop.accounts.selectors import actor_for
from safeloop.core.errors import ServiceError
from safeloop.core.xlsx import ImportFailed
from safeloop.registry.io import enterprise_import


class Command(BaseCommand):
    help = "Import enterprises from an .xlsx in the export layout; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", default="sysadmin", help="act as this user (scope, audit)")

    def handle(self, *args, file: str, username: str, **options):
        actor = actor_for(username)
        try:
            report = enterprise_import(actor=actor, data=Path(file).read_bytes())
        except ImportFailed as exc:
            for error in exc.report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入未保存任何数据：共{len(exc.report.errors)}处错误") from None
        except (ServiceError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        self.stdout.write(f"导入成功：新登记 {report.created}，更新 {report.updated}，未变化 {report.unchanged}")
