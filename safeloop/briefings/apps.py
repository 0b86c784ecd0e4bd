from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "safeloop.briefings"
    label = "briefings"
    verbose_name = "工作通报"

    def ready(self) -> None:
        from safeloop.briefings.jobs import generate_job, regenerate_job
        from safeloop.briefings.models import Briefing
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.jobs import register_job

        register_feed(FeedType("briefing", Briefing))  # the change feed (core.changes)
        register_job(generate_job())
        register_job(regenerate_job())
