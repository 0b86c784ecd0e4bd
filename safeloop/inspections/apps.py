from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "safeloop.inspections"
    label = "inspections"
    verbose_name = "行政检查"

    def ready(self) -> None:
        from safeloop.core.jobs import register_job
        from safeloop.inspections.io import INSPECTION_EXPORT

        register_job(INSPECTION_EXPORT.job())
