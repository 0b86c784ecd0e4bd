from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "safeloop.registry"
    label = "registry"
    verbose_name = "基础档案"
