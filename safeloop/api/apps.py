from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safeloop.api"
    label = "api"
    verbose_name = "接口"
