"""A system check (`manage.py check`, and at start-up): every configured notification channel
loads, so a mistyped SAFELOOP_NOTIFY_CHANNELS entry is seen by the operator, not only logged."""

from __future__ import annotations

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
