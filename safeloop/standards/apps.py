from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "safeloop.standards"
    label = "standards"
    verbose_name = "判定标准库"
