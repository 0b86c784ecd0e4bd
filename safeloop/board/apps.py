from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "safeloop.board"
    label = "board"
    verbose_name = "挂图作战"

    def ready(self) -> None:
        from safeloop.board.layers import register

        register()
