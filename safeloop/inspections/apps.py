from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "safeloop.inspections"
    label = "inspections"
    verbose_name = "行政检查"
