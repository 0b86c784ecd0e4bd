from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The home page, to-do aggregation and the pages that gather several apps (top floor)."""

    name = "safeloop.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        from safeloop.briefings.sources import provide_key_projects, provide_ranking
        from safeloop.duties.selectors import assessment_summary, key_projects_summary
        from safeloop.registry.pages import provide_enterprise_page
        from safeloop.workbench.dossier_views import enterprise_page

        provide_enterprise_page(enterprise_page)
        # the briefings read the duties (same layer, no import between them) through the workbench
        provide_key_projects(key_projects_summary, "duties:tasks")
        provide_ranking(assessment_summary, "duties:assessment")
