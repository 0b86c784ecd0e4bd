from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from safeloop.core.jobs import jobs_expire
        from safeloop.core.schedule import register_daily

        register_daily(jobs_expire)
