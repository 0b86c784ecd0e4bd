"""System checks (`manage.py check`, and at start-up): every configured notification channel
loads, so a mistyped SAFELOOP_NOTIFY_CHANNELS entry is seen by the operator, not only logged;
behind a proxy, the client's address is read from the proxy's header."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Info
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string

from safeloop.accounts.notifications import channel_paths


def notify_channels_load(app_configs=None, **kwargs) -> list[CheckWarning]:
    problems = []
    for path in channel_paths():
        try:
            import_string(path)
        except ImportError as exc:
            problems.append(
                CheckWarning(
                    f"通知渠道“{path}”无法加载：{exc}",
                    hint="检查 SAFELOOP_NOTIFY_CHANNELS：每项是可调用对象 (user, title, url) 的完整路径。",
                    id="safeloop.W001",
                )
            )
    return problems


def client_address_header(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Behind a proxy every connection comes from the proxy: without the header that carries the
    client's address, the sign-in protection sees one address for everybody, and one person's
    failures on an account would stop everyone signing in to it."""
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if not behind_proxy or settings.SAFELOOP_CLIENT_IP_HEADER != "REMOTE_ADDR":
        return []
    return [
        Info(
            "SAFELOOP_CLIENT_IP_HEADER is not set behind a proxy: sign-in locks and delays will see the "
            "proxy's address for every client.",
            hint="Set SAFELOOP_CLIENT_IP_HEADER=X-Real-IP and `proxy_set_header X-Real-IP $remote_addr` in nginx.",
            id="safeloop.I002",
        )
    ]
