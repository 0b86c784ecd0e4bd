from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "safeloop.hazards"
    label = "hazards"
    verbose_name = "隐患闭环"

    def ready(self) -> None:
        from safeloop.core.jobs import register_job
        from safeloop.core.schedule import register_daily
        from safeloop.hazards.ledger_import import LEDGER_IMPORT
        from safeloop.hazards.ledger_io import LEDGER_EXPORT
        from safeloop.hazards.permissions import enterprise_page_links
        from safeloop.hazards.tasks import notify_digest, supervise_hazards
        from safeloop.registry.links import provide_enterprise_links

        register_daily(supervise_hazards)
        register_daily(notify_digest)
        provide_enterprise_links(enterprise_page_links)
        register_job(LEDGER_EXPORT.job())
        register_job(LEDGER_IMPORT.job())
