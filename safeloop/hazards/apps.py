from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "safeloop.hazards"
    label = "hazards"
    verbose_name = "隐患闭环"

    def ready(self) -> None:
        from safeloop.core.schedule import register_daily
        from safeloop.hazards.tasks import notify_digest, supervise_hazards

        register_daily(supervise_hazards)
        register_daily(notify_digest)
