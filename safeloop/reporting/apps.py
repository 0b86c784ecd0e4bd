from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "safeloop.reporting"
    label = "reporting"
    verbose_name = "隐患报告与举报奖励"
