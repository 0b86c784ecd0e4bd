from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "safeloop.duties"
    label = "duties"
    verbose_name = "责任考核"

    def ready(self) -> None:
        from safeloop.core.filecheck import register_files
        from safeloop.core.schedule import register_daily
        from safeloop.duties.models import stored_files
        from safeloop.duties.tasks import supervise_duty_milestones

        register_files(stored_files)
        register_daily(supervise_duty_milestones)
