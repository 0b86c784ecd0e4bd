"""Delivery of notifications: the one way any app tells users something.

`notify()` writes the in-app rows (always) and then hands each message to every configured
channel. A channel is a dotted path to a callable `(user, title, url)`, listed in the setting
`SAFELOOP_NOTIFY_CHANNELS` (SMS gateway, 政务微信, e-mail…); the default only logs a line on
the "safeloop.notify" logger. A channel that fails is logged and skipped: the act that caused
the message has already happened and must not be undone by a messaging outage.

Who is told about what is decided by the app that knows (hazards: hazards.notifications).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from safeloop.accounts.models import Notification, User
from safeloop.core.models import Job, JobState

logger = logging.getLogger("safeloop.notify")

Channel = Callable[[User, str, str], object]
DEFAULT_CHANNELS = ("safeloop.accounts.notifications.log_channel",)


def log_channel(user: User, title: str, url: str) -> None:
    """The default channel: one log line per message, nothing sent anywhere."""
    logger.info("notify user=%s title=%s url=%s", user.username, title, url)


def notify(*, users: Iterable[User], kind: str, title: str, url: str = "", key: str = "") -> int:
    """Tell each active user once (the same user listed twice hears once); returns how many.

    With `key`, a user who already has a message with that key gets no second one, even when
    two runs race (a unique constraint decides): for once-a-day messages such as digests.
    """
    recipients = list({u.pk: u for u in users if u.is_active}.values())
    created = _store_keyed(recipients, kind, title, url, key) if key else _store(recipients, kind, title, url)
    _send(created, title, url)
    return len(created)


def tell_job_owner(job: Job) -> None:
    """A background export or import has ended (core.jobs): its owner hears, with its page's link."""
    notify(users=[job.owner], kind="job", title=_job_news(job), url=reverse("core:job", args=[job.pk]))


def _job_news(job: Job) -> str:
    if job.state != JobState.DONE:
        return _("{title}未完成，请查看原因").format(title=job.title)
    if not job.result_file:
        return _("{title}已完成").format(title=job.title)
    until = timezone.localtime(job.expires_at or timezone.now())
    day = f"{until.month}月{until.day}日 {until:%H:%M}"
    return _("{title}已完成，可以下载（有效期至{until}）").format(title=job.title, until=day)


def _store(users: list[User], kind: str, title: str, url: str) -> list[User]:
    Notification.objects.bulk_create([Notification(user=u, kind=kind, title=title[:200], url=url) for u in users])
    return users


def _store_keyed(users: list[User], kind: str, title: str, url: str, key: str) -> list[User]:
    created = []
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, kind=kind, title=title[:200], url=url, key=key)
        except IntegrityError:
            continue  # already told (an earlier or concurrent run)
        created.append(user)
    return created


def _send(users: list[User], title: str, url: str) -> None:
    for path, channel in channels():
        for user in users:
            try:
                channel(user, title, url)
            except Exception:
                logger.exception("notification channel %s failed for user %s", path, user.username)


def channel_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "SAFELOOP_NOTIFY_CHANNELS", None) or DEFAULT_CHANNELS)


def channels() -> list[tuple[str, Channel]]:
    """The configured channels that can be loaded; one that cannot is logged and left out."""
    return [(path, channel) for path in channel_paths() if (channel := _load(path)) is not None]


@cache
def _load(path: str) -> Channel | None:
    try:
        return import_string(path)
    except ImportError:
        logger.exception("notification channel %s cannot be loaded", path)
        return None
