from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city and every app's demo data (top floor: domain apps never import it)."""

    name = "safeloop.demo"
    label = "demo"
    verbose_name = "演示数据"
