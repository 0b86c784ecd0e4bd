"""System checks for settings the lead's settings module may not define yet."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info
from django.core.checks import Warning as CheckWarning


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


def ledger_keys(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """The hash chains need their HMAC key, and backups their encryption key, from outside the
    database (docs/adr/0012); in local mode both are generated into the data directory."""
    messages: list[CheckMessage] = []
    if not getattr(settings, "SAFELOOP_LEDGER_KEYS", None):
        messages.append(
            Error(
                "SAFELOOP_LEDGER_KEYS is empty: no hazard event can be recorded.",
                hint="Set it to id:secret (e.g. 2026a:<48 random characters>); keep the old ones after rotating.",
                id="safeloop.E002",
            )
        )
    if not getattr(settings, "SAFELOOP_BACKUP_KEY", ""):
        messages.append(
            CheckWarning(
                "SAFELOOP_BACKUP_KEY is not set: manage.py backup cannot encrypt.",
                hint="python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
                id="safeloop.W003",
            )
        )
    return messages
