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
