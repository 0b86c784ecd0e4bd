from datetime import date

from django.core.management.base import BaseCommand

from safeloop.hazards.supervision import supervise


class Command(BaseCommand):
    help = "Daily deadline supervision: reminders before due, escalation events when overdue."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today, **options):
        report = supervise(today=today)
        self.stdout.write(f"检查 {report.checked} 条，提醒 {report.reminded} 条，升级督办 {report.escalated} 条")
        if report.failed:
            failed = "、".join(report.failures)
            self.stderr.write(f"处理失败 {report.failed} 条（已记录日志，其余照常处理）：{failed}")
