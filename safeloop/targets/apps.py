from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "safeloop.targets"
    label = "targets"
    verbose_name = "目标指标"
