from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "safeloop.reporting"
    label = "reporting"
    verbose_name = "隐患报告与举报奖励"

    def ready(self) -> None:
        from safeloop.core.changes import register_feed
        from safeloop.core.schedule import register_daily
        from safeloop.reporting.feed import REPORT_FEED
        from safeloop.reporting.notifications import remind_mechanisms

        register_daily(remind_mechanisms)  # idempotent per enterprise per month (its key)
        register_feed(REPORT_FEED)  # the change feed (core.changes), without what is confidential
