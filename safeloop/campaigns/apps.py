from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "safeloop.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from safeloop.campaigns.purpose import register

        register()
