from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The home page, to-do aggregation and the pages that gather several apps (top floor)."""

    name = "safeloop.workbench"
    label = "workbench"
    verbose_name = "工作台"
