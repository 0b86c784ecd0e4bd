"""System checks for settings the lead's settings module may not define yet."""

from django.conf import settings
from django.core.checks import CheckMessage, Info


def public_base_url(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Issued documents carry a QR code to their public verification page; in production the
    address must be the one citizens and enterprises reach, not whatever host served a request.
    Info, not a warning, until settings.py defines the setting (`check --deploy` fails on warnings)."""
    production: bool = getattr(settings, "PRODUCTION", False)
    base: str = getattr(settings, "SAFELOOP_PUBLIC_BASE_URL", "")
    if not production or base:
        return []
    return [
        Info(
            "SAFELOOP_PUBLIC_BASE_URL is not set: QR codes in issued documents and on enterprise posters "
            "will point at the host of the request that made them.",
            hint="Set it to the public address, e.g. https://safeloop.example.gov.cn",
            id="safeloop.I001",
        )
    ]
