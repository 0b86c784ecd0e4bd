from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from safeloop.core.security_log import retention_days, security_log_purge


class Command(BaseCommand):
    help = "Remove security events older than SAFELOOP_SECURITY_LOG_DAYS (at least 180); the daily job."

    def handle(self, *args, **options):
        removed = security_log_purge.call()
        self.stdout.write(_("已清理 %(n)s 条超过 %(days)s 天的安全日志") % {"n": removed, "days": retention_days()})
