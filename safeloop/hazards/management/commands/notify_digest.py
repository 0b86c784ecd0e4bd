from datetime import date

from django.core.management.base import BaseCommand

from safeloop.core.schedule import Tally
from safeloop.hazards.digest import digests_send


class Command(BaseCommand):
    help = "Leaders' daily digest: one notification per city and county account per day (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today, **options):
        tally = Tally()
        sent = digests_send(today=today, tally=tally)
        self.stdout.write(f"已发送每日简报 {sent} 条")
        if tally.failed:
            self.stderr.write(f"发送失败 {tally.failed} 条（已记录日志）")
