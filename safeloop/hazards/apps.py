from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "safeloop.hazards"
    label = "hazards"
    verbose_name = "隐患闭环"

    def ready(self) -> None:
        from safeloop.core.chain import register_replay
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.filecheck import register_files
        from safeloop.core.jobs import register_job
        from safeloop.core.schedule import register_daily
        from safeloop.hazards.events import evidence_files
        from safeloop.hazards.ledger_import import LEDGER_IMPORT
        from safeloop.hazards.ledger_io import LEDGER_EXPORT
        from safeloop.hazards.models import Hazard, HazardEvent
        from safeloop.hazards.permissions import enterprise_page_links
        from safeloop.hazards.replay import REPLAYED, replay_problems
        from safeloop.hazards.tasks import notify_digest, supervise_hazards
        from safeloop.registry.links import provide_enterprise_links

        register_daily(supervise_hazards)
        register_daily(notify_digest)
        provide_enterprise_links(enterprise_page_links)
        register_job(LEDGER_EXPORT.job())
        register_job(LEDGER_IMPORT.job())
        register_replay(HazardEvent, replay_problems, fields=REPLAYED)
        register_files(evidence_files)
        register_feed(FeedType("hazard", Hazard))  # the change feed (core.changes)
