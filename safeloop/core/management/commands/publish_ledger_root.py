from django.core.management.base import BaseCommand

from safeloop.core.ledger import ledger_publish, roots_file


class Command(BaseCommand):
    help = "Append the Merkle root of the events appended since the last root to the roots file (daily)."

    def handle(self, *args, **options):
        entry = ledger_publish()
        if entry is None:
            self.stdout.write(f"没有新事件，未追加（{roots_file()}）")
            return
        self.stdout.write(
            self.style.SUCCESS(f"已公示 {entry['day']} 的根 {entry['root']}（#{entry['first']}–#{entry['last']}）")
        )
