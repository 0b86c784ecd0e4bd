from django.core.management.base import BaseCommand

from safeloop.reporting.notifications import mechanism_reminders


class Command(BaseCommand):
    help = "Remind the accounts of enterprises late with their internal report reward mechanism (monthly, idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"已提醒 {mechanism_reminders()} 个企业账号")
