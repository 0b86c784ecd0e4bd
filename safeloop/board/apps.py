from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "safeloop.board"
    label = "board"
    verbose_name = "挂图作战"

    def ready(self) -> None:
        from safeloop.board.layers import register
        from safeloop.board.tasks import WARM_HOURS, board_warm
        from safeloop.core.schedule import register_daily

        register()
        register_daily(board_warm, every_hours=WARM_HOURS)  # the store filled before anyone opens
