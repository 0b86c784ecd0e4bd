from django.apps import AppConfig
from django.core import checks

from safeloop.core.checks import public_base_url


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from safeloop.core.jobs import jobs_expire
        from safeloop.core.schedule import register_daily

        register_daily(jobs_expire)
        checks.register(public_base_url, checks.Tags.compatibility)
