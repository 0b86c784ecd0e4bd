import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from safeloop.core.models import SecurityEvent
from safeloop.core.security_log import security_log_problems

SHOWN = 100  # the first problems are listed; the count covers all


class Command(BaseCommand):
    help = "Walk the security log's hash chain; report any break (exit 1)."

    def handle(self, *args, **options):
        found = 0
        for problem in security_log_problems():
            found += 1
            if found <= SHOWN:
                self.stderr.write(str(problem))
        total = SecurityEvent.objects.count()
        if found:
            message = _("发现 %(found)s 处问题（共检查 %(total)s 条安全日志）") % {"found": found, "total": total}
            self.stderr.write(self.style.ERROR(message))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(_("安全日志完整：%(total)s 条记录的哈希链校验通过") % {"total": total}))
