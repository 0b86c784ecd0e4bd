from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "safeloop.hazards"
    label = "hazards"
    verbose_name = "隐患闭环"
