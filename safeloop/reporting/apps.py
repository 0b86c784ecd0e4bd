from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "safeloop.reporting"
    label = "reporting"
    verbose_name = "隐患报告与举报奖励"

    def ready(self) -> None:
        from safeloop.core.schedule import register_daily
        from safeloop.reporting.notifications import remind_mechanisms

        register_daily(remind_mechanisms)  # idempotent per enterprise per month (its key)
