from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "safeloop.briefings"
    label = "briefings"
    verbose_name = "工作通报"
