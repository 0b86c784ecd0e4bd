from django.conf import settings
from django.core.management.base import BaseCommand

from safeloop.accounts.models import User
from safeloop.demo.flood import FLOOD_USERNAMES
from safeloop.demo.registry import DEMO_USERNAMES
from safeloop.demo.reporting import REPORTING_USERNAMES

NAMES = (*DEMO_USERNAMES, *REPORTING_USERNAMES, *FLOOD_USERNAMES)


class Command(BaseCommand):
    help = "Print the demo accounts that exist in this database, with their password and role."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url: str, **options):
        users = {
            u.username: u
            for u in User.objects.filter(username__in=NAMES).select_related("region", "department", "enterprise")
        }
        if not users:
            self.stdout.write("没有演示账号（数据库不是由 seed_demo 初始化的）。")
            return
        self.stdout.write(f"\n演示账号 demo accounts（密码 password: {settings.SAFELOOP_DEMO_PASSWORD}）")
        for name in NAMES:
            if name in users:
                u = users[name]
                anchor = u.region or u.department or u.enterprise or ""
                position = f"（{u.get_position_display()}）" if u.position else ""
                self.stdout.write(f"  {name:18} {u.get_role_display()}{position} {anchor}")
        self.stdout.write(f"打开 open: {url}\n")
