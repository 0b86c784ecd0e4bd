from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "safeloop.inspections"
    label = "inspections"
    verbose_name = "行政检查"

    def ready(self) -> None:
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.jobs import register_job
        from safeloop.inspections.io import INSPECTION_EXPORT
        from safeloop.inspections.models import Inspection

        register_job(INSPECTION_EXPORT.job())
        register_feed(FeedType("inspection", Inspection))  # the change feed (core.changes)
