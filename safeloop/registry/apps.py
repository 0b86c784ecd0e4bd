from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "safeloop.registry"
    label = "registry"
    verbose_name = "基础档案"

    def ready(self) -> None:
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.jobs import register_job
        from safeloop.core.scope import provide_department_area
        from safeloop.registry.io import ENTERPRISE_EXPORT, ENTERPRISE_IMPORT
        from safeloop.registry.models import Enterprise
        from safeloop.registry.selectors import department_area

        provide_department_area(department_area)
        register_job(ENTERPRISE_EXPORT.job())
        register_job(ENTERPRISE_IMPORT.job())
        register_feed(FeedType("enterprise", Enterprise, exclude=frozenset({"name_initials"})))  # core.changes
