"""`{% offline_text %}`: the Chinese texts static/js/offline.js shows, translated on the page."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext_lazy as _

from safeloop.core.datetext import moment_text

register = template.Library()

TEXTS = {
    "saving": _("正在保存到本机…"),
    "queued": _("当前无网络或上传中断：已保存在本机“待上传”列表，恢复网络后自动上传。"),
    "queued_short": _("已存本机，待上传"),
    "failed": _("未能保存到本机，请重试"),
    "open_queue": _("查看待上传"),
    "queued_at": _("手机记录时间 {at}"),
    "photos": _("{n} 张照片/文件"),
    "state_pending": _("等待上传"),
    "state_login": _("需重新登录后上传"),
    "state_conflict": _("冲突：未应用"),
    "state_refused": _("被退回"),
    "login": _("登录已过期：请重新登录，登录后自动上传。"),
    "conflict": _("提交期间该记录已被他人更新，本次提交未应用。"),
    "conflict_detail": _("隐患 {code} 已更新，当前状态“{status}”，本次提交未应用"),
    "refused": _("服务器退回了这次提交（内容有误或已不能办理），请重新填写或放弃。"),
    "redo": _("按最新状态重新提交"),
    "redo_form": _("重新填写"),
    "drop": _("放弃"),
    "drop_confirm": _("放弃后这条记录将从本机删除，确定吗？"),
    "offline_copy": _("离线：当前无网络，显示的是 {at} 同步的副本，实际情况可能已变化。"),
    "offline_now": _("当前无网络：提交的内容会保存在本机，恢复网络后自动上传。"),
    "unknown_time": _("上次"),
    "waiting_login": _("本机有 {n} 项待上传的记录，登录后自动上传。"),
}


@register.simple_tag
def offline_text() -> str:
    return json_script({name: str(text) for name, text in TEXTS.items()}, "offline-text")


@register.filter
def moment(value: str) -> str:
    """An ISO datetime kept in an event's payload (the phone's time), shown as the page shows times."""
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(str(value or ""))
    if parsed is None:
        return str(value or "")
    return moment_text(parsed)
