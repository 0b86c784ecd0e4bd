from django.apps import AppConfig
from django.core import checks

from safeloop.core.checks import public_base_url


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        checks.register(public_base_url, checks.Tags.compatibility)
