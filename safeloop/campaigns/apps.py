from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "safeloop.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from safeloop.campaigns.models import Campaign, Task
        from safeloop.campaigns.permissions import seed_links
        from safeloop.campaigns.purpose import register
        from safeloop.campaigns.tasks import supervise_campaign_tasks
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.links import provide_record_links
        from safeloop.core.schedule import register_daily

        register()
        provide_record_links("hazards.hazard", seed_links)
        provide_record_links("accidents.accident", seed_links)
        register_daily(supervise_campaign_tasks)
        register_feed(FeedType("campaign", Campaign))  # the change feed (core.changes)
        register_feed(FeedType("campaign_task", Task))
