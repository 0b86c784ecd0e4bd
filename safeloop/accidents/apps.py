from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "safeloop.accidents"
    label = "accidents"
    verbose_name = "事故与灾害"

    def ready(self) -> None:
        from safeloop.accidents.io import DENOMINATOR_IMPORT, EXPORTS
        from safeloop.accidents.models import Accident
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.jobs import register_job

        for export in EXPORTS:
            register_job(export.job())
        register_job(DENOMINATOR_IMPORT.job())
        register_feed(FeedType("accident", Accident))  # the change feed (core.changes)
