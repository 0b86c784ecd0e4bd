"""Who hears about a hazard event, and the message they get.

In-app notifications are rows; further channels (SMS, e-mail, government messaging webhooks)
plug in through `SAFELOOP_NOTIFY_CHANNELS`, each a dotted path to a callable(user, title, url).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from safeloop.accounts.models import Notification, Role, User
from safeloop.hazards.models import Hazard, HazardEvent

# Which side must act after each action (the enterprise, or whoever acted on it before).
TELL_ENTERPRISE = {"assign", "reject", "decide_extension", "confirm", "reopen", "escalate", "remind"}
TELL_PARTICIPANTS = {"submit_rectification", "request_extension", "sign", "submit_plan", "report"}
MESSAGES = {
    "assign": "隐患已交办，请按期整改",
    "reject": "整改验收未通过，请继续整改",
    "confirm": "隐患已确认",
    "decide_extension": "延期申请已审批",
    "reopen": "隐患已重新打开",
    "escalate": "隐患已逾期并升级督办",
    "remind": "隐患整改即将到期",
    "submit_rectification": "企业已提交整改，请验收",
    "request_extension": "企业申请延期，请审批",
    "sign": "重大隐患签字已记录",
    "submit_plan": "治理方案已提交",
    "report": "新上报隐患待确认",
}


def notify_event(*, hazard_id: int, event_id: int) -> int:
    event = HazardEvent.objects.select_related("hazard").get(pk=event_id)
    users = recipients(event.hazard, event)
    title = f"{event.hazard.code}：{MESSAGES.get(event.action, event.action)}"
    return notify_users(users, kind=event.action, title=title, url=reverse("hazards:detail", args=[hazard_id]))


def recipients(hazard: Hazard, event: HazardEvent) -> list[User]:
    ids: set[int] = set()
    if event.action in TELL_ENTERPRISE:
        ids |= set(
            User.objects.filter(role=Role.ENTERPRISE, enterprise_id=hazard.enterprise_id, is_active=True).values_list(
                "pk", flat=True
            )
        )
    if event.action in TELL_PARTICIPANTS:
        ids |= set(hazard.events.exclude(actor=None).values_list("actor_id", flat=True))
    ids.discard(event.actor_id)
    return list(User.objects.filter(pk__in=ids, is_active=True))


def notify_users(users: list[User], *, kind: str, title: str, url: str) -> int:
    Notification.objects.bulk_create([Notification(user=u, kind=kind, title=title, url=url) for u in users])
    for path in settings.SAFELOOP_NOTIFY_CHANNELS:
        channel = import_string(path)
        for user in users:
            channel(user, title, url)
    return len(users)
