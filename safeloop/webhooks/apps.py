from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "safeloop.webhooks"
    label = "webhooks"
    verbose_name = "数据推送"

    def ready(self) -> None:
        from safeloop.core.changes import on_changes
        from safeloop.core.schedule import register_daily
        from safeloop.webhooks.delivery import changes_committed, webhooks_pump

        on_changes(changes_committed)
        register_daily(webhooks_pump)  # a backstop: a retry whose task was lost is still sent
