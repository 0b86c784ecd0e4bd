from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "safeloop.checklists"
    label = "checklists"
    verbose_name = "企业自查清单"

    def ready(self) -> None:
        from safeloop.checklists.models import Checklist
        from safeloop.checklists.permissions import enterprise_page_links
        from safeloop.checklists.stats import STATS_EXPORTS
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.jobs import register_job
        from safeloop.registry.links import provide_enterprise_links

        provide_enterprise_links(enterprise_page_links)
        for export in STATS_EXPORTS.values():
            register_job(export.job())
        register_feed(FeedType("checklist", Checklist))  # the change feed (core.changes)
