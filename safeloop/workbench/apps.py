from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The home page, to-do aggregation and the pages that gather several apps (top floor)."""

    name = "safeloop.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        from safeloop.registry.pages import provide_enterprise_page
        from safeloop.workbench.dossier_views import enterprise_page

        provide_enterprise_page(enterprise_page)
