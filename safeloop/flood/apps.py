from django.apps import AppConfig


class FloodConfig(AppConfig):
    name = "safeloop.flood"
    label = "flood"
    verbose_name = "防汛抗旱"

    def ready(self) -> None:
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.filecheck import register_files
        from safeloop.core.jobs import register_job
        from safeloop.flood.io import RISK_POINT_EXPORT, RISK_POINT_IMPORT
        from safeloop.flood.maps import register_layers
        from safeloop.flood.models import Alert, Danger, Patrol
        from safeloop.flood.selectors import patrol_photo_files

        register_job(RISK_POINT_EXPORT.job())
        register_job(RISK_POINT_IMPORT.job())
        register_layers()
        register_files(patrol_photo_files)
        register_feed(FeedType("flood_patrol", Patrol))  # the change feed (core.changes)
        register_feed(FeedType("flood_danger", Danger))
        register_feed(FeedType("flood_alert", Alert))
