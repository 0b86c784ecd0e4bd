from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "safeloop.duties"
    label = "duties"
    verbose_name = "责任考核"

    def ready(self) -> None:
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.filecheck import register_files
        from safeloop.core.schedule import register_daily
        from safeloop.duties.models import Task, stored_files
        from safeloop.duties.tasks import supervise_duty_milestones

        register_files(stored_files)
        register_daily(supervise_duty_milestones)
        register_feed(FeedType("duty_task", Task))  # the change feed (core.changes)
