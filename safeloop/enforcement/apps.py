from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "safeloop.enforcement"
    label = "enforcement"
    verbose_name = "打非治违"

    def ready(self) -> None:
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.maplayers import register_layer
        from safeloop.enforcement.models import Case, Clue
        from safeloop.enforcement.selectors import OPEN_CASES_LAYER

        register_layer(OPEN_CASES_LAYER)
        register_feed(FeedType("clue", Clue))  # the change feed (core.changes)
        register_feed(FeedType("case", Case))
