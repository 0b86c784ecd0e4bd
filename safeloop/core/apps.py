from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"
