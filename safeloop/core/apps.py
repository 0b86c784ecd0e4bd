from django.apps import AppConfig
from django.core import checks

from safeloop.core.checks import ledger_keys, public_base_url


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from safeloop.core.filecheck import register_files
        from safeloop.core.jobs import jobs_expire
        from safeloop.core.schedule import register_daily
        from safeloop.core.seals import sealed_files
        from safeloop.core.tasks import ledger_publish_root

        register_daily(jobs_expire)
        register_daily(ledger_publish_root)
        register_files(sealed_files)
        checks.register(public_base_url, checks.Tags.compatibility)
        checks.register(ledger_keys, checks.Tags.security)
