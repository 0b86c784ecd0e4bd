"""System checks for settings the lead's settings module may not define yet."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def public_base_url(app_configs, **kwargs) -> list[CheckWarning]:
    """Issued documents carry a QR code to their public verification page; in production the
    address must be the one citizens and enterprises reach, not whatever host served a request."""
    if not getattr(settings, "PRODUCTION", False) or getattr(settings, "SAFELOOP_PUBLIC_BASE_URL", ""):
        return []
    return [
        CheckWarning(
            "SAFELOOP_PUBLIC_BASE_URL is not set: QR codes in issued documents will point at the host of the "
            "request that issued them.",
            hint="Set it to the public address, e.g. https://safeloop.example.gov.cn",
            id="safeloop.W001",
        )
    ]
